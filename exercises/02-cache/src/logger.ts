/**
 * Where the wallet says that something went wrong without failing the call: a cache it could
 * not reach. Passed in rather than imported, so a service sends it to its own logs and a test
 * reads exactly what was said.
 */
export interface Logger {
  warn(message: string): void;
}

export const consoleLogger: Logger = {
  warn: (message) => console.warn(message),
};
