// The registry of transport drivers by definition type (see driver.ts).
import type { ServerDefinition } from '../config/types';
import type { TransportDriver } from './driver';
import { httpDriver } from './httpDriver';
import { memoryDriver } from './memoryDriver';
import { stdioDriver } from './stdioDriver';

const DRIVERS = [stdioDriver, httpDriver, memoryDriver] as const;

const byType = new Map<string, unknown>(DRIVERS.flatMap((d) => d.types.map((t) => [t, d] as const)));

/** The driver for a definition's type. */
export function driverFor<D extends ServerDefinition>(def: D): TransportDriver<D> {
  const driver = byType.get(def.type);
  if (!driver) throw new Error(`no transport driver for type "${def.type}"`);
  return driver as unknown as TransportDriver<D>;
}
