// What a worker thread needs to judge rows exactly as the main thread does, as plain data: the pinned lists (their
// arrays moved to shared memory, so that every worker reads the same copy), the consent rule, the call history's
// parts packed into a few shared arrays, and the settings of the contact rules and of the schedule.

import { AttemptParts, type GroupedAttempts } from '../numbers/attempts.js';
import { sharedBytes, sharedFloat64, sharedUint32 } from '../numbers/shared.js';
import type { RuleSetName } from '../rules/calling-hours.js';
import { ContactRules } from './contact-rules.js';
import { Schedule } from './schedule.js';
import { Screening, type ConsentRule, type PinnedList } from './screening.js';

export interface JudgesSpec {
  readonly lists: readonly PinnedList[];
  readonly scrubDay: number;
  readonly rule: ConsentRule;
  readonly contact: { readonly history: PackedParts; readonly rules: readonly RuleSetName[]; readonly atSecond: number } | undefined;
  readonly schedule: { readonly rules: readonly RuleSetName[]; readonly from: number; readonly allowUnscreened: boolean } | undefined;
}

/** The call history's parts, each field of all of them in one shared array; `sizes`: each part's numbers and attempts. */
export interface PackedParts {
  readonly sizes: Int32Array;
  readonly numbers: Float64Array;
  readonly starts: Uint32Array;
  readonly seconds: Uint32Array;
  readonly refusals: Uint8Array;
  readonly counts: Uint8Array;
}

export function specOf(screening: Screening, contact: ContactRules | undefined, schedule: Schedule | undefined): JudgesSpec {
  return {
    lists: screening.lists.map((list) => ({ ...list, set: sharedCopy(list.set) })),
    scrubDay: screening.scrubDay,
    rule: screening.rule,
    contact: contact === undefined ? undefined : { history: pack(contact.history.parts), rules: contact.rules, atSecond: contact.atSecond },
    schedule: schedule === undefined ? undefined : { rules: schedule.rules, from: schedule.from, allowUnscreened: schedule.allowUnscreened },
  };
}

/** The judges a spec describes; `schedule()` makes one with counters of its own. */
export function judgesOf(spec: JudgesSpec): { screening: Screening; contact: ContactRules | undefined; schedule: () => Schedule | undefined } {
  const screening = new Screening(spec.lists, spec.scrubDay, spec.rule);
  const contact = spec.contact === undefined ? undefined : new ContactRules(new AttemptParts(unpack(spec.contact.history)), spec.contact.rules, spec.contact.atSecond);
  const settings = spec.schedule;
  return { screening, contact, schedule: () => (settings === undefined ? undefined : new Schedule(settings.rules, settings.from, settings.allowUnscreened)) };
}

type Typed = Float64Array | Int32Array | Uint32Array | Uint8Array | Uint16Array | Int8Array | Int16Array | Float32Array | BigInt64Array | BigUint64Array;

/** A copy of plain data whose typed arrays are in shared memory (those already there are kept as they are). */
function sharedCopy<T>(value: T): T {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const array = value as unknown as Typed;
    if (array.buffer instanceof SharedArrayBuffer) return value;
    const shared = new (array.constructor as new (buffer: SharedArrayBuffer) => Typed)(new SharedArrayBuffer(array.byteLength));
    shared.set(array as never);
    return shared as unknown as T;
  }
  if (Array.isArray(value)) return value.map(sharedCopy) as unknown as T;
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sharedCopy(v)])) as T;
  return value;
}

function pack(parts: readonly GroupedAttempts[]): PackedParts {
  const sizes = new Int32Array(parts.length * 2);
  let numbers = 0;
  let attempts = 0;
  parts.forEach((part, p) => {
    sizes[2 * p] = part.numbers.length;
    sizes[2 * p + 1] = part.seconds.length;
    numbers += part.numbers.length;
    attempts += part.seconds.length;
  });
  const packed: PackedParts = {
    sizes,
    numbers: sharedFloat64(numbers),
    starts: sharedUint32(numbers + parts.length),
    seconds: sharedUint32(attempts),
    refusals: sharedBytes(attempts),
    counts: sharedBytes(attempts),
  };
  let n = 0;
  let a = 0;
  parts.forEach((part, p) => {
    packed.numbers.set(part.numbers, n);
    packed.starts.set(part.starts, n + p);
    packed.seconds.set(part.seconds, a);
    packed.refusals.set(part.refusals, a);
    packed.counts.set(part.counts, a);
    n += part.numbers.length;
    a += part.seconds.length;
  });
  return packed;
}

function unpack(packed: PackedParts): GroupedAttempts[] {
  const parts: GroupedAttempts[] = [];
  let n = 0;
  let a = 0;
  for (let p = 0; p < packed.sizes.length / 2; p++) {
    const numbers = packed.sizes[2 * p] as number;
    const attempts = packed.sizes[2 * p + 1] as number;
    parts.push({
      numbers: packed.numbers.subarray(n, n + numbers),
      starts: packed.starts.subarray(n + p, n + p + numbers + 1),
      seconds: packed.seconds.subarray(a, a + attempts),
      refusals: packed.refusals.subarray(a, a + attempts),
      counts: packed.counts.subarray(a, a + attempts),
    });
    n += numbers;
    a += attempts;
  }
  return parts;
}
