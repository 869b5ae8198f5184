/** Splits NDJSON bytes into non-empty lines, keeping their 1-based line numbers. */
export function splitLines(body: Buffer): { line: number; bytes: Buffer }[] {
  const lines: { line: number; bytes: Buffer }[] = [];
  let start = 0;
  let number = 1;
  while (start <= body.length) {
    let end = body.indexOf(0x0a, start);
    if (end === -1) end = body.length;
    let stop = end;
    if (stop > start && body[stop - 1] === 0x0d) stop -= 1; // tolerate CRLF
    const bytes = body.subarray(start, stop);
    if (bytes.some((b) => b !== 0x20 && b !== 0x09)) lines.push({ line: number, bytes });
    start = end + 1;
    number += 1;
  }
  return lines;
}
