// A set of strings that answers "perhaps" or "certainly not", four bytes a key: what staging asks of every
// row ("did an earlier row of this file have this code?") is nearly always "no", and a query per row to
// hear it cost a 100,000-row import a quarter of a second (npm run bench:import). A "perhaps" is asked
// of the database.

/** FNV-1a over the string's UTF-16 units, never 0 (0 marks an empty slot). */
function hashOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0 || 1;
}

export class KeyFilter {
  private table = new Uint32Array(1024);
  private size = 0;

  add(key: string): void {
    if ((this.size + 1) * 2 > this.table.length) this.grow();
    if (this.place(this.table, hashOf(key))) this.size++;
  }

  /** False only if the key was never added. */
  mightHave(key: string): boolean {
    const h = hashOf(key);
    const mask = this.table.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const slot = this.table[i]!;
      if (slot === h) return true;
      if (slot === 0) return false;
    }
  }

  /** Puts a hash in the first free slot after its own; false when it is there already. */
  private place(table: Uint32Array, h: number): boolean {
    const mask = table.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const slot = table[i]!;
      if (slot === h) return false;
      if (slot === 0) {
        table[i] = h;
        return true;
      }
    }
  }

  private grow(): void {
    const bigger = new Uint32Array(this.table.length * 2);
    for (const h of this.table) if (h !== 0) this.place(bigger, h);
    this.table = bigger;
  }
}
