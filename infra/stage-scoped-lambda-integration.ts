import { Stack } from "aws-cdk-lib";
import type { HttpMethod, HttpRouteIntegrationBindOptions } from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import { ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { IFunction } from "aws-cdk-lib/aws-lambda";

/** Where API Gateway may invoke the function from. */
export interface StageScopedLambdaIntegrationProps {
  /** The one stage that serves the routes, e.g. `$default`. */
  readonly stage: string;
  /** The one method every route of this integration uses. */
  readonly method: HttpMethod;
}

/**
 * `HttpLambdaIntegration` whose Lambda permission names the stage and method of each route:
 * `arn:aws:execute-api:<region>:<account>:<api>/$default/POST/vault/sessions`. The stock one allows
 * any stage and any method on the path, so a stage added later (or another method on the path)
 * could invoke the function too.
 */
export class StageScopedLambdaIntegration extends HttpLambdaIntegration {
  private readonly target: IFunction;
  private readonly scope: StageScopedLambdaIntegrationProps;
  private readonly permissionId: string;

  constructor(id: string, handler: IFunction, props: StageScopedLambdaIntegrationProps) {
    super(id, handler);
    this.target = handler;
    this.scope = props;
    this.permissionId = `${id}-Permission`;
  }

  // Replaces the stock permission (not called: it would add the wide one), once per route.
  protected override completeBind(options: HttpRouteIntegrationBindOptions): void {
    const { route } = options;
    this.target.addPermission(this.permissionId, {
      scope: options.scope,
      principal: new ServicePrincipal("apigateway.amazonaws.com"),
      sourceArn: Stack.of(route).formatArn({
        service: "execute-api",
        resource: route.httpApi.apiId,
        resourceName: `${this.scope.stage}/${this.scope.method}${route.path ?? ""}`,
      }),
    });
  }
}
