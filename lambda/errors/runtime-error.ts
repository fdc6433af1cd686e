/**
 * An error to hand to the Lambda runtime (a failed direct invocation, a failed cold start) whose
 * `name`, constructor name and stack all say `name`, with no stack frames. The runtime reports
 * `name` as the `errorType` a Step Functions `Catch` matches; its JSON log format names an error by
 * its constructor's name instead (aws-lambda-nodejs-runtime-interface-client, src/LogPatch.js), and
 * esbuild's minification renames classes, so the class is made here, named by a computed key,
 * which no minifier renames. The stack is `name: message` only: Lambda returns it to invokers and
 * prints it in the log, and the frames would say nothing to either.
 */
export function runtimeError(name: string, message: string): Error {
  // A class per call: it runs only on a failed invocation or INIT, and every name is one of the
  // error table's (errors/mapping.ts); Apideck's own type_name never becomes a name.
  const NamedError = { [name]: class extends Error {} }[name] as ErrorConstructor;
  Object.defineProperty(NamedError.prototype, "name", { value: name, writable: true, configurable: true });
  const error = new NamedError(message);
  error.stack = `${name}: ${message}`;
  return error;
}
