// Secret masking: values that look secret (by variable name, header name, or origin such as an
// envFile or a prompted input) are replaced by a placeholder wherever text is shown or logged.

const SECRET_NAME =
  /(^|_|-)(KEY|TOKEN|SECRET|PASSWORD|PASSWD|PWD|CREDENTIALS?|AUTH|AUTHORIZATION|COOKIE|SESSION|PRIVATE|API[_-]?KEY)($|_|-)/i;
export const MASK = '••••••';

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) || /^authorization$/i.test(name) || /api[_-]?key/i.test(name);
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
