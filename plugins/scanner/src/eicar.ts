/**
 * The EICAR anti-virus test file: 68 harmless bytes every scanner reports as a virus, so that
 * an installation can prove its scanning works. Found anywhere in a file, it is reported as an
 * infection, the way anti-virus engines do.
 */
export const eicarSignature = Buffer.from('X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*', 'latin1');

export const eicarReason = 'EICAR test signature';
