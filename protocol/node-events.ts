/** What platform nodes tell one another through the socket.io adapter (Redis streams). */
export interface NodeEvents {
  /** A new configuration version was stored; the others re-read it from the database. */
  'xj:config': (version: number) => void;
}
