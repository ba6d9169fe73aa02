// A JSON array built as UTF-8 bytes outside the JavaScript heap, value by value, for a statement
// that reads it as one `json` parameter (pg sends a Buffer in binary format, which for json is
// its text). A re-score batch's ~12,500 pairs each add their JSON here as they are scored: held
// as strings until the write (joined every 64 pairs, then into one array), they were the largest
// part of what survived a young-generation collection in a worker (sampling heap profile, 50k
// re-score: ~30 % of the bytes promoted), copied on every collection until promoted.
// The array is sent complete, brackets included: bracketed in SQL (`'[' || $x || ']'`), the
// planner folded the concatenation and cast on every call, copying texts of megabytes (a seventh
// of PostgreSQL's time in a re-score, profiled).

const INITIAL_BYTES = 64 * 1024;

export class JsonArrayBytes {
  private buffer = Buffer.allocUnsafe(INITIAL_BYTES);
  /** Bytes written, from the opening bracket on; the closing one is added when read. */
  private length = 1;
  private count = 0;

  constructor() {
    this.buffer[0] = 0x5b; // [
  }

  /** Appends one value, given as its JSON text. */
  push(json: string): void {
    // A comma, the text (at most 3 UTF-8 bytes per UTF-16 unit) and room for the closing bracket.
    this.reserve(1 + 3 * json.length + 1);
    if (this.count > 0) this.buffer[this.length++] = 0x2c; // ,
    this.length += this.buffer.write(json, this.length, 'utf8');
    this.count += 1;
  }

  /** The array's bytes, `[…]`: a view of the buffer, valid until the next push. */
  bytes(): Buffer {
    this.buffer[this.length] = 0x5d; // ]
    return this.buffer.subarray(0, this.length + 1);
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(2 * this.buffer.length, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}
