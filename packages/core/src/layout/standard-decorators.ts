// Where standard (TC39) decorators keep `@Field` facts. A standard field decorator sees a context,
// never its class. When the compiler passes `context.metadata` (esbuild/tsx and Babel always;
// TypeScript only on a runtime with `Symbol.metadata`, which Node 20 lacks) the facts go there:
// one object per class, inheriting from its base class's. Without it, each fact waits in
// `unclaimed` until the class's `@Struct()`, which runs right after the class's field decorators,
// claims it: a class that declares fields then needs its own `@Struct()`, a base class too.
import { DefinitionError } from '../errors.js';
import type { FieldSpec } from './types.js';

/** One `@Field` as written on one class. */
export interface FieldFact {
  readonly property: string | symbol;
  readonly spec: FieldSpec;
}

// What compilers use for `Symbol.metadata` where the runtime has none (esbuild's and Babel's choice).
const METADATA: symbol = (Symbol as { metadata?: symbol }).metadata ?? Symbol.for('Symbol.metadata');
const FACTS = Symbol('structsync:fields');

interface Unclaimed {
  readonly sequence: number;
  readonly fact: FieldFact;
}

// State, not configuration: facts between a field's decoration and its class's, which happen in
// one synchronous class definition. `sequence` numbers them so a claim takes only its own class's.
const unclaimed: Unclaimed[] = [];
let sequence = 0;

/** A standard decorator's second argument (a legacy one gets a property key or nothing). */
export function isDecoratorContext(value: unknown): value is DecoratorContext {
  return typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string';
}

/** Records a standard `@Field`; refuses what no record can hold. */
export function recordStandardField(context: DecoratorContext, spec: FieldSpec): void {
  const field = String(context.name);
  if (context.kind !== 'field') {
    throw new DefinitionError('INVALID_OPTION', `${field}: @Field decorates a class field, not ${context.kind === 'accessor' ? 'an auto-accessor' : `a ${context.kind}`}`, { field });
  }
  if (context.static) throw new DefinitionError('INVALID_OPTION', `${field}: @Field cannot decorate a static property`, { field });
  if (context.private) {
    throw new DefinitionError('INVALID_OPTION', `${field}: @Field cannot decorate a #private field (a view reads fields through accessors on the prototype, which # names cannot have)`, { field });
  }
  const fact: FieldFact = Object.freeze({ property: context.name, spec });
  const metadata = context.metadata as Record<symbol, FieldFact[]> | undefined;
  if (typeof metadata === 'object' && metadata !== null) {
    if (!Object.hasOwn(metadata, FACTS)) metadata[FACTS] = [];
    metadata[FACTS]!.push(fact);
  } else {
    unclaimed.push({ sequence: ++sequence, fact });
  }
}

/** Called when `@Struct(options)` is evaluated, before its class's field decorators run. */
export function openStructClaim(): number {
  return sequence;
}

/**
 * The facts a standard `@Struct` takes for its class: those recorded since `openedAt`, or
 * undefined when they are in the class's metadata already. Facts from before `openedAt` belong
 * to a class that had no `@Struct()` and that nothing else will claim: refused, naming the fix.
 */
export function claimStandardFields(target: Function, context: DecoratorContext, openedAt: number): FieldFact[] | undefined {
  if (context.kind !== 'class') {
    throw new DefinitionError('INVALID_OPTION', `${String(context.name)}: @Struct decorates a class, not a ${context.kind}`, { field: String(context.name) });
  }
  if (typeof context.metadata === 'object' && context.metadata !== null) return undefined;
  const orphans = unclaimed.filter((u) => u.sequence <= openedAt).map((u) => String(u.fact.property));
  const own = unclaimed.filter((u) => u.sequence > openedAt).map((u) => u.fact);
  unclaimed.length = 0;
  if (orphans.length > 0) {
    throw new DefinitionError(
      'NOT_A_STRUCT',
      `@Field ${orphans.join(', ')} (declared before ${target.name}) is on a class without @Struct(). With standard decorators on a ` +
        'runtime without Symbol.metadata (Node 20 has none), every class that declares @Field fields needs its own @Struct(), a base class too; ' +
        'or set "experimentalDecorators": true in tsconfig.json',
      { struct: target.name, field: orphans[0] },
    );
  }
  return own;
}

/** The facts standard decorators put in this class's own metadata, if any. */
export function standardFieldFacts(type: Function): readonly FieldFact[] | undefined {
  if (!Object.hasOwn(type, METADATA)) return undefined;
  const metadata = (type as unknown as Record<symbol, unknown>)[METADATA] as Record<symbol, FieldFact[]> | null | undefined;
  return typeof metadata === 'object' && metadata !== null && Object.hasOwn(metadata, FACTS) ? metadata[FACTS] : undefined;
}
