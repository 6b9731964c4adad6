// Secret masking: values that look secret (by variable name, header name, or origin such as an
// envFile or a prompted input) are replaced by a placeholder wherever text is shown or logged.

/**
 * Words that make a variable or header name secret when they stand alone between `_` or `-` (or
 * the name's ends): `GITHUB_TOKEN`, `X-Api-Key`, `DB_PASSWORD`. A set lookup, not one
 * case-insensitive regular expression: that expression's first use cost ~0.4 ms of activation
 * (every configured server's env is checked when it is registered).
 */
const SECRET_WORDS = new Set([
  'KEY',
  'TOKEN',
  'SECRET',
  'PASSWORD',
  'PASSWD',
  'PWD',
  'CREDENTIAL',
  'CREDENTIALS',
  'AUTH',
  'AUTHORIZATION',
  'COOKIE',
  'SESSION',
  'PRIVATE',
  'APIKEY',
]);
export const MASK = '••••••';

export function isSecretName(name: string): boolean {
  const upper = name.toUpperCase();
  if (upper.includes('APIKEY') || upper.includes('API_KEY') || upper.includes('API-KEY')) return true;
  let start = 0;
  for (let i = 0; i <= upper.length; i++) {
    const c = upper.charCodeAt(i);
    if (i === upper.length || c === 95 /* _ */ || c === 45 /* - */) {
      if (i > start && SECRET_WORDS.has(upper.slice(start, i))) return true;
      start = i + 1;
    }
  }
  return false;
}

/** Collects secret values and masks them in arbitrary text. Short values are ignored (too many false hits). */
export class SecretMasker {
  private values = new Set<string>();

  add(value: string | undefined | null): void {
    if (value && value.length >= 4) this.values.add(value);
  }

  addAll(values: Iterable<string | undefined | null>): void {
    for (const v of values) this.add(v);
  }

  get size(): number {
    return this.values.size;
  }

  mask = (text: string): string => {
    if (this.values.size === 0 || !text) return text;
    let out = text;
    // Longest first so a secret containing another is masked whole.
    for (const v of [...this.values].sort((a, b) => b.length - a.length)) {
      if (out.includes(v)) out = out.split(v).join(MASK);
    }
    return out;
  };
}

/** Copy of an environment with secret-looking values masked, for display (doctor, tooltips). */
export function maskEnv(env: Record<string, string>, extraSecrets?: SecretMasker): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    out[k] = isSecretName(k) ? MASK : extraSecrets ? extraSecrets.mask(v) : v;
  }
  return out;
}
