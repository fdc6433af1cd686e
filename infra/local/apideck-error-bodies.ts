import { STATUS_CODES } from "node:http";

/**
 * Apideck's JSON error envelope, the common shape of `BadRequestResponse`, `UnauthorizedResponse`,
 * `PaymentRequiredResponse`, `NotFoundResponse`, `UnprocessableResponse` and `UnexpectedErrorResponse`.
 * @example { "status_code": 401, "error": "Unauthorized", "type_name": "UnauthorizedError",
 *   "message": "Unauthorized Request", "detail": "Missing authentication",
 *   "ref": "https://developers.apideck.com/errors#unauthorizederror" }
 */
export type ApideckErrorBody = {
  status_code: number;
  error: string;
  type_name: string;
  message: string;
  detail?: string | Record<string, unknown>;
  ref?: string;
};

// `type_name` and `message` per status, taken from the examples of vault.yml's error schemas.
// 429 and 5xx have no schema of their own (they fall under `default`); their names are our best guess.
const byStatus: Record<number, { typeName: string; message: string }> = {
  400: { typeName: "RequestValidationError", message: "Invalid Params" },
  401: { typeName: "UnauthorizedError", message: "Unauthorized Request" },
  402: { typeName: "RequestLimitError", message: "Request Limit Reached" },
  404: { typeName: "EntityNotFoundError", message: "Not Found" },
  422: { typeName: "InvalidStateError", message: "Invalid State" },
  429: { typeName: "RateLimitError", message: "Too Many Requests" },
};

/**
 * Builds the Apideck-shaped error body for `status`; `typeName` and `message` default per status.
 * `ref` points at Apideck's error documentation the way the spec's examples do.
 */
export function apideckErrorBody(
  status: number,
  detail?: ApideckErrorBody["detail"],
  overrides: { typeName?: string; message?: string } = {},
): ApideckErrorBody {
  const reason = STATUS_CODES[status] ?? "Unknown Error";
  const known = byStatus[status];
  const typeName =
    overrides.typeName ?? known?.typeName ?? (status >= 500 ? "UnexpectedError" : "RequestError");
  return {
    status_code: status,
    error: reason,
    type_name: typeName,
    message: overrides.message ?? known?.message ?? reason,
    ...(detail === undefined ? {} : { detail }),
    ref: `https://developers.apideck.com/errors#${typeName.toLowerCase()}`,
  };
}

/** A proxy-style HTML error page (what a CDN or load balancer in front of Apideck answers with). */
export function proxyErrorPage(status: number): string {
  const title = `${status} ${STATUS_CODES[status] ?? "Error"}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}
