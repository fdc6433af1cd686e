import { Match } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import {
  CORS_ALLOW_HEADERS,
  CORS_ALLOW_METHODS,
  CORS_EXPOSE_HEADERS,
  CORS_MAX_AGE_SECONDS,
} from "../../infra/cors-settings.ts";
import { buildBroker, cfnString } from "./broker-fixture.ts";

const JWT = { issuer: "https://issuer.example.com/", audience: ["vault-api", "admin-api"] };

describe("Construct: VaultSessionBroker", () => {
  describe("HTTP API", () => {
    it("routes POST /vault/sessions with AWS_IAM authorization", () => {
      const { template } = buildBroker();

      template.hasResourceProperties("AWS::ApiGatewayV2::Route", {
        RouteKey: "POST /vault/sessions",
        AuthorizationType: "AWS_IAM",
      });
    });

    it("has only the IAM route, no catch-all and no authorizer, when JWT is not configured", () => {
      const { stack, broker, template } = buildBroker();

      template.resourceCountIs("AWS::ApiGatewayV2::Route", 1);
      template.resourceCountIs("AWS::ApiGatewayV2::Authorizer", 0);
      expect(cfnString(stack.resolve(broker.vaultSessionsUrl))).toMatch(
        /^<\w+\.ApiEndpoint>\/vault\/sessions$/,
      );
      expect(broker.sessionsUrl).toBeUndefined();
    });

    it("adds POST /sessions behind a JWT authorizer with the issuer and audiences when configured", () => {
      const { stack, broker, template } = buildBroker({ jwt: JWT });

      template.resourceCountIs("AWS::ApiGatewayV2::Route", 2);
      template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", {
        AuthorizerType: "JWT",
        IdentitySource: ["$request.header.Authorization"],
        JwtConfiguration: { Issuer: JWT.issuer, Audience: JWT.audience },
      });
      const [authorizerId] = Object.keys(template.findResources("AWS::ApiGatewayV2::Authorizer"));
      template.hasResourceProperties("AWS::ApiGatewayV2::Route", {
        RouteKey: "POST /sessions",
        AuthorizationType: "JWT",
        AuthorizerId: { Ref: authorizerId },
      });
      expect(cfnString(stack.resolve(broker.sessionsUrl))).toMatch(/^<\w+\.ApiEndpoint>\/sessions$/);
    });

    it("requires none of the token's scopes by default", () => {
      const { template } = buildBroker({ jwt: JWT });

      template.hasResourceProperties("AWS::ApiGatewayV2::Route", {
        RouteKey: "POST /sessions",
        AuthorizationScopes: Match.absent(),
      });
    });

    it("requires one of the configured scopes on POST /sessions, and none on the IAM route", () => {
      const { template } = buildBroker({ jwt: { ...JWT, scopes: ["vault:sessions", "vault:admin"] } });

      template.hasResourceProperties("AWS::ApiGatewayV2::Route", {
        RouteKey: "POST /sessions",
        AuthorizationType: "JWT",
        AuthorizationScopes: ["vault:sessions", "vault:admin"],
      });
      template.hasResourceProperties("AWS::ApiGatewayV2::Route", {
        RouteKey: "POST /vault/sessions",
        AuthorizationScopes: Match.absent(),
      });
    });

    it("refuses a scope that is no OAuth scope token, naming jwt.scopes", () => {
      expect(() => buildBroker({ jwt: { ...JWT, scopes: ["vault sessions"] } })).toThrow(
        'jwt.scopes: "vault sessions" must be OAuth scopes: printable ASCII without spaces, quotes or backslashes',
      );
    });

    it("never has a route without authorization", () => {
      const { template } = buildBroker({ jwt: JWT, corsOrigins: ["https://app.example.com"] });

      const routes = Object.values(template.findResources("AWS::ApiGatewayV2::Route"));
      expect(routes.map((r) => r.Properties.AuthorizationType).sort()).toEqual(["AWS_IAM", "JWT"]);
      expect(routes.map((r) => r.Properties.RouteKey)).not.toContain("$default");
    });

    it("deploys one explicit $default stage with autoDeploy and 50 rps / 100 burst throttling", () => {
      const { template } = buildBroker();

      template.resourceCountIs("AWS::ApiGatewayV2::Stage", 1);
      template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
        StageName: "$default",
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      });
    });

    it("applies the configured throttling", () => {
      const { template } = buildBroker({ throttle: { rateLimit: 5, burstLimit: 10 } });

      template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
        DefaultRouteSettings: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
      });
    });

    it("writes JSON access logs with request, caller, route, status, latency and error fields", () => {
      const { stack, broker, template } = buildBroker();

      template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
        AccessLogSettings: {
          DestinationArn: stack.resolve(broker.http.accessLogGroup.logGroupArn),
          Format: Match.anyValue(),
        },
      });
      const [stage] = Object.values(template.findResources("AWS::ApiGatewayV2::Stage"));
      expect(JSON.parse(stage?.Properties.AccessLogSettings.Format)).toEqual(
        expect.objectContaining({
          requestId: "$context.requestId",
          caller: "$context.identity.caller",
          userArn: "$context.identity.userArn",
          jwtSub: "$context.authorizer.claims.sub",
          routeKey: "$context.routeKey",
          status: "$context.status",
          integrationLatency: "$context.integrationLatency",
          responseLatency: "$context.responseLatency",
          integrationErrorMessage: "$context.integrationErrorMessage",
          errorMessage: "$context.error.message",
        }),
      );
    });

    it("keeps the access logs for one month by default", () => {
      const { stack, broker, template } = buildBroker();

      const accessLogs = template.findResources("AWS::Logs::LogGroup", {
        Properties: { RetentionInDays: 30 },
      });
      expect(Object.keys(accessLogs)).toContain(stack.resolve(broker.http.accessLogGroup.logGroupName).Ref);
    });

    it("has no CORS configuration by default", () => {
      const { template } = buildBroker();

      template.hasResourceProperties("AWS::ApiGatewayV2::Api", { CorsConfiguration: Match.absent() });
    });

    it("allows POST from exactly the configured origins, with the headers a browser app sends", () => {
      const { template } = buildBroker({ corsOrigins: ["https://app.example.com", "http://localhost:3000"] });

      template.hasResourceProperties("AWS::ApiGatewayV2::Api", {
        CorsConfiguration: {
          AllowOrigins: ["https://app.example.com", "http://localhost:3000"],
          AllowMethods: ["POST"],
          AllowHeaders: Match.arrayWith([
            "authorization",
            "content-type",
            "x-apideck-app-id",
            "x-apideck-consumer-id",
          ]),
          ExposeHeaders: ["x-vault-session-expires-at"],
          MaxAge: 600,
        },
      });
    });

    it("takes its CORS settings from the module the local gateway plays", () => {
      const { template } = buildBroker({ corsOrigins: ["https://app.example.com"] });

      template.hasResourceProperties("AWS::ApiGatewayV2::Api", {
        CorsConfiguration: {
          AllowOrigins: ["https://app.example.com"],
          AllowMethods: [...CORS_ALLOW_METHODS],
          AllowHeaders: [...CORS_ALLOW_HEADERS],
          ExposeHeaders: [...CORS_EXPOSE_HEADERS],
          MaxAge: CORS_MAX_AGE_SECONDS,
        },
      });
    });

    it("lets API Gateway invoke the function only from this API's $default stage, with POST, per route", () => {
      const { stack, broker, template } = buildBroker({ jwt: JWT });

      const permissions = Object.values(template.findResources("AWS::Lambda::Permission"));
      expect(permissions.map((p) => p.Properties.Principal)).toEqual([
        "apigateway.amazonaws.com",
        "apigateway.amazonaws.com",
      ]);
      for (const permission of permissions) {
        expect(permission.Properties).toMatchObject({
          Action: "lambda:InvokeFunction",
          FunctionName: stack.resolve(broker.function.functionArn),
        });
      }
      const api = cfnString(stack.resolve(broker.http.api.apiId));
      expect(permissions.map((p) => cfnString(p.Properties.SourceArn))).toEqual([
        `arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:${api}/$default/POST/vault/sessions`,
        `arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:${api}/$default/POST/sessions`,
      ]);
    });
  });
});
