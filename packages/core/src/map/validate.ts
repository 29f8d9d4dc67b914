// `fromMap(..., { validate: true })` and `{ allErrors: true }`: the input is read once and checked
// (structural checks), then the class-validator rules declared on the struct's own class judge an
// instance of that class built from the values that passed (with `partial`, the record's current
// values for absent keys; and the current values of fields the tag skips, '-', since the write
// keeps them), then the record is written. class-validator is an optional peer dependency,
// loaded on first use only, so core works without it.
import { createRequire } from 'node:module';
import { JsonText } from '../layout/any-value.js';
import { StructSyncError, ValueError } from '../errors.js';
import { mapKeys, type FieldLayout, type StructLayout } from '../layout/layout.js';
import { inputFault, joinPath, where } from './map-errors.js';
import { ABSENT, assertUnmoved, commit, FAILED, stageRecord, type Staged, type WriteMode } from './map-write.js';
import type { ViewState } from '../view/view-state.js';

interface ValidationError {
  readonly property: string;
  readonly constraints?: Readonly<Record<string, string>>;
  readonly children?: readonly ValidationError[];
}

interface ClassValidator {
  validateSync(object: object, options?: object): ValidationError[];
}

let classValidator: ClassValidator | undefined;

/** class-validator, required lazily (it keeps its rules in one global store, shared with the app's copy). */
function loadClassValidator(): ClassValidator {
  if (classValidator === undefined) {
    try {
      classValidator = createRequire(import.meta.url)('class-validator') as ClassValidator;
    } catch (cause) {
      throw new StructSyncError('INVALID_OPTION', 'fromMap validate: true needs the class-validator package (npm i class-validator)', { cause });
    }
  }
  return classValidator;
}

function define(target: object, name: string, value: unknown): void {
  // A data property, whatever accessors the class's prototype may declare.
  Object.defineProperty(target, name, { value, writable: true, enumerable: true, configurable: true });
}

// Whether no field name is found on the class's prototype chain, so that a plain store on an
// instance makes the same own data property as define, at a fraction of its cost.
const storesPlainly = new WeakMap<StructLayout, boolean>();

function plainStores(layout: StructLayout): boolean {
  let plain = storesPlainly.get(layout);
  if (plain === undefined) {
    const prototype = layout.type.prototype as object;
    plain = layout.fields.every((f) => !(f.name in prototype));
    storesPlainly.set(layout, plain);
  }
  return plain;
}

/** Sets field `name` of an instance as an own data property (`plain`: see plainStores). */
function put(plain: boolean, instance: object, name: string, value: unknown): void {
  if (plain) (instance as Record<string, unknown>)[name] = value;
  else define(instance, name, value);
}

/** The current value of a field of a view, as validation should see it (nested records whole). */
function currentValue(field: FieldLayout, current: Record<string, unknown>): unknown {
  const value = current[field.name];
  if (field.kind === 'struct') return currentInstance(field.struct!, value as Record<string, unknown>);
  if (field.kind === 'structArray') return Array.from(value as ArrayLike<Record<string, unknown>>, (v) => currentInstance(field.struct!, v));
  if (field.kind === 'array' || field.kind === 'bytes') return Array.from(value as ArrayLike<unknown>);
  return value;
}

/** An instance of the struct's class holding every field of the record `current` as it is now. */
function currentInstance(layout: StructLayout, current: Record<string, unknown>): object {
  const instance = Object.create(layout.type.prototype as object) as object;
  const plain = plainStores(layout);
  for (const field of layout.fields) put(plain, instance, field.name, currentValue(field, current));
  return instance;
}

/**
 * A staged value as the rules see it: what will be written. An `any` object's JSON text is
 * parsed, so the rules judge exactly the text written (and what toMap gives back), never a second
 * read of the caller's object, whose getters could answer differently (issue 12).
 */
function judgedValue(value: unknown): unknown {
  return value instanceof JsonText ? JSON.parse(value.text!) : value;
}

/**
 * An instance of the struct's class (its constructor is not run) holding the record as the write
 * would leave it, under property names: the staged values (read once, checked); with `partial`,
 * the current values for absent keys; and always the current values of fields the tag skips
 * ('-'), which fromMap never writes, so rules on those judge the value the record keeps. Values
 * refused by the checks (allErrors) are left out, and `failed` collects their paths.
 */
function instanceOf(layout: StructLayout, staged: Staged, current: Record<string, unknown>, mode: WriteMode, path: string, failed: Set<string>): object {
  const instance = Object.create(layout.type.prototype as object) as object;
  const plain = plainStores(layout);
  const keys = mapKeys(layout, mode.tag);
  keys.forEach(({ field }, i) => {
    const value = staged[i];
    const fieldPath = joinPath(path, field.name);
    if (value === FAILED) failed.add(fieldPath);
    else if (value === ABSENT) put(plain, instance, field.name, currentValue(field, current));
    else if (field.kind === 'struct') put(plain, instance, field.name, instanceOf(field.struct!, value as Staged, current[field.name] as Record<string, unknown>, mode, fieldPath, failed));
    else if (field.kind === 'structArray') {
      const children = current[field.name] as ArrayLike<Record<string, unknown>>;
      const elements = (value as unknown[]).map((element, j) => {
        if (element !== FAILED) return instanceOf(field.struct!, element as Staged, children[j]!, mode, joinPath(fieldPath, j), failed);
        failed.add(joinPath(fieldPath, j));
        return undefined;
      });
      put(plain, instance, field.name, elements);
    } else put(plain, instance, field.name, judgedValue(value));
  });
  if (keys.length < layout.fields.length) {
    const keyed = new Set(keys.map((k) => k.field));
    for (const field of layout.fields) if (!keyed.has(field)) put(plain, instance, field.name, currentValue(field, current));
  }
  return instance;
}

function messages(errors: readonly ValidationError[], path: string, out: { path: string; text: string }[]): void {
  for (const error of errors) {
    const at = joinPath(path, error.property);
    for (const text of Object.values(error.constraints ?? {})) out.push({ path: at, text });
    if (error.children !== undefined) messages(error.children, at, out);
  }
}

/** Whether `path` is at or under one of `failed` (a value the checks refused: its rules are not run). */
function underFailed(path: string, failed: ReadonlySet<string>): boolean {
  for (let p = path; ; p = p.slice(0, p.lastIndexOf('.'))) {
    if (failed.has(p)) return true;
    if (!p.includes('.')) return false;
  }
}

/**
 * class-validator's verdict on the staged record: VALIDATION_FAILED problems, one per broken
 * rule, naming the field path (property names). Rules on values the checks refused are skipped.
 */
function ruleProblems(layout: StructLayout, view: object, staged: Staged, mode: WriteMode): ValueError[] {
  const failed = new Set<string>();
  const instance = instanceOf(layout, staged, view as Record<string, unknown>, mode, '', failed);
  const errors = loadClassValidator().validateSync(instance, { forbidUnknownValues: false });
  const found: { path: string; text: string }[] = [];
  messages(errors, '', found);
  if (found.length === 0 && errors.length > 0) found.push({ path: errors[0]!.property, text: 'validation failed' });
  return found
    .filter((m) => !underFailed(m.path, failed))
    .map((m) => new ValueError('VALIDATION_FAILED', `${where(layout.name, m.path)}: ${m.text}`, { struct: layout.name, field: m.path, cause: errors }));
}

/** One ValueError for every problem: the first's code, field and message leading, all of them in `errors`. */
function allProblems(struct: string, problems: readonly ValueError[]): ValueError {
  const first = problems[0]!;
  const errors = problems.map((p) => Object.freeze({ path: p.field ?? '', code: p.code, message: p.message }));
  const message = problems.length === 1 ? first.message : `${struct}: ${problems.length} problems: ${problems.map((p) => p.message).join('; ')}`;
  return new ValueError(first.code, message, { struct, field: first.field, cause: first.cause, errors: Object.freeze(errors) });
}

/**
 * fromMap with `validate` and/or `allErrors`: the input is read once and checked (every problem
 * noted with allErrors, else the first thrown), then the class-validator rules judge the values
 * that passed, and only when nothing was refused is the record written.
 */
export function writeChecked(memory: ViewState, view: object, map: unknown, mode: WriteMode, validate: boolean, allErrors: boolean): void {
  const { layout, data, bytes, offset } = memory;
  const problems: ValueError[] | undefined = allErrors ? [] : undefined;
  const staged = stageRecord(layout.name, layout, map, mode, problems);
  const structural = problems?.length ?? 0;
  // Rules run on a record that is a map (the root's shape error leaves nothing to judge).
  if (validate && !(structural > 0 && staged.length === 0)) {
    let found: ValueError[];
    try {
      found = ruleProblems(layout, view, staged, mode);
    } catch (error) {
      throw inputFault(layout.name, error);
    }
    if (problems === undefined) {
      if (found.length > 0) throw allProblems(layout.name, found);
    } else problems.push(...found);
  }
  if (problems !== undefined && problems.length > 0) throw allProblems(layout.name, problems);
  // A rule or a getter may have released or moved the view meanwhile.
  assertUnmoved(memory, bytes, offset);
  commit(layout, staged, data, bytes, offset, mode);
}
