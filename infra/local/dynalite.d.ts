// dynalite 4 ships no types: this declares the part of its API the local key store uses
// (node_modules/dynalite/index.js: a factory returning a Node http.Server whose `close` also closes the store).
declare module "dynalite" {
  import type { Server } from "node:http";

  /** Options of the factory; times are how long tables stay CREATING / DELETING / UPDATING. */
  export interface DynaliteOptions {
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    /** LevelDB directory; in memory when absent. */
    path?: string;
  }

  export default function dynalite(options?: DynaliteOptions): Server;
}
