// Injection tokens, one per struct class and kind, so that @InjectPool(Order) finds the pool that
// StructSyncModule.forFeature([Order]) registered, in whichever module it was registered.
import { Inject } from '@nestjs/common';
import { layoutOf, type StructClass } from '@structsync/core';

const poolTokens = new WeakMap<StructClass, symbol>();
const tableTokens = new WeakMap<StructClass, symbol>();

function tokenFor(tokens: WeakMap<StructClass, symbol>, kind: string, type: StructClass): symbol {
  let token = tokens.get(type);
  if (token === undefined) {
    // layoutOf checks that `type` is a struct class (NOT_A_STRUCT otherwise) and names it.
    token = Symbol(`structsync:${kind}:${layoutOf(type).name}`);
    tokens.set(type, token);
  }
  return token;
}

/** The token of the pool StructSyncModule.forFeature registers for `type`. */
export function getPoolToken(type: StructClass): symbol {
  return tokenFor(poolTokens, 'pool', type);
}

/** The token of the shared table StructSyncModule.forFeature registers for `type` with `table`. */
export function getTableToken(type: StructClass): symbol {
  return tokenFor(tableTokens, 'table', type);
}

/** Injects the `Pool<T>` registered for `type` by StructSyncModule.forFeature. */
export function InjectPool(type: StructClass): PropertyDecorator & ParameterDecorator {
  return Inject(getPoolToken(type));
}

/** Injects the `Table<T>` registered for `type` by StructSyncModule.forFeature with `table`. */
export function InjectTable(type: StructClass): PropertyDecorator & ParameterDecorator {
  return Inject(getTableToken(type));
}
