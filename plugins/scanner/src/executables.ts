/**
 * Programs, which no Conveyor format is: an executable uploaded under any name is refused.
 * A PE file is recognised by the `PE\0\0` its DOS header points to, not by `MZ` alone (two
 * letters a text file may start with).
 */
export function executableKind(head: Buffer): string | undefined {
  if (head.length >= 4 && head.readUInt32BE(0) === 0x7f454c46) return 'ELF';
  if (head.length >= 4 && [0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe].includes(head.readUInt32BE(0))) return 'Mach-O';
  if (head.length >= 0x40 && head.toString('latin1', 0, 2) === 'MZ') {
    const peOffset = head.readUInt32LE(0x3c);
    if (peOffset + 4 <= head.length && head.readUInt32BE(peOffset) === 0x50450000) return 'Windows PE';
  }
  return undefined;
}
