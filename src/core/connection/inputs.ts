// `${input:…}` and `${command:…}` values, asked for at connect time (never in the configuration).
import type { ServerDefinition } from '../config/types';
import { DEFERRED_VARIABLE, deferredKey } from '../config/variables';
import type { ConnectionOptions } from '../connectionTypes';
import { ServerError } from '../errors';
import type { SecretMasker } from '../secrets';
import { driverFor } from '../transport/drivers';

/** The definition with its deferred variables replaced; the values are masked in the log from then on. */
export async function resolveInputs(
  def: ServerDefinition,
  resolver: ConnectionOptions['inputResolver'],
  masker: SecretMasker,
): Promise<ServerDefinition> {
  if (def.inputs.length === 0 || def.type === 'memory') return def;
  if (!resolver) {
    throw new ServerError(def.name, 'config', `uses \${input:${def.inputs[0]}} but inputs cannot be prompted for here`);
  }
  const values = await resolver(def.name, def.inputs);
  masker.addAll(Object.values(values));
  const sub = (v: string) =>
    v.replace(DEFERRED_VARIABLE, (whole, kind: string, id: string) => {
      const value = values[deferredKey(kind, id)];
      if (value === undefined) throw new ServerError(def.name, 'config', `no value for ${whole}`);
      return value;
    });
  return driverFor(def).substitute(def, sub);
}
