// StructSyncModule as NestJS's injector sees it: forRoot / forRootAsync defaults, forFeature's
// pools and tables behind @InjectPool / @InjectTable, isGlobal, and what shutdown releases.
import 'reflect-metadata';
import { Inject, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Field, MemoryError, Struct, Table, type Pool } from '@structsync/core';
import { describe, expect, it } from 'vitest';
import { getPoolToken, getTableToken, InjectPool, InjectTable, STRUCTSYNC_OPTIONS, StructSyncModule, type StructSyncModuleOptions } from '../src/index';

@Struct()
class Account {
  @Field({ type: 'u32' }) id!: number;
  @Field({ type: 'i64' }) balance!: bigint;
}

@Struct()
class Session {
  @Field({ type: 'str', size: 16 }) token!: string;
}

@Injectable()
class Ledger {
  constructor(
    @InjectPool(Account) readonly accounts: Pool<Account>,
    @InjectPool(Session) readonly sessions: Pool<Session>,
  ) {}
}

@Injectable()
class Balances {
  constructor(@InjectTable(Account) readonly table: Table<Account>) {}
}

describe('StructSyncModule.forFeature', () => {
  it('registers one pool per struct, injected with @InjectPool, sized by the feature options', async () => {
    const app = await Test.createTestingModule({
      imports: [StructSyncModule.forFeature([Account, Session], { capacity: 8 })],
      providers: [Ledger],
    }).compile();
    const ledger = app.get(Ledger);
    expect(ledger.accounts.capacity).toBe(8);
    expect(ledger.accounts.layout.name).toBe('Account');
    expect(ledger.sessions.layout.name).toBe('Session');
    expect(ledger.accounts).not.toBe(ledger.sessions);
    expect(app.get(getPoolToken(Account))).toBe(ledger.accounts);
    const account = ledger.accounts.acquire();
    expect(account).toBeInstanceOf(Account);
    account.balance = 5n;
    expect(ledger.accounts.inUse).toBe(1);
    await app.close();
  });

  it('falls back to forRoot defaults, then to 1024 records; grow and shared reach the pool', async () => {
    const app = await Test.createTestingModule({
      imports: [
        StructSyncModule.forRoot({ isGlobal: true, pool: { capacity: 32, shared: true } }),
        StructSyncModule.forFeature([Account], { grow: { maxCapacity: 64 } }),
        StructSyncModule.forFeature([Session]),
      ],
      providers: [Ledger],
    }).compile();
    const { accounts, sessions } = app.get(Ledger);
    expect(accounts.capacity).toBe(32);
    expect(accounts.buffer).toBeInstanceOf(SharedArrayBuffer);
    for (let i = 0; i < 40; i++) accounts.acquire();
    expect(accounts.capacity).toBe(64);
    expect(sessions.capacity).toBe(32);
    await app.close();

    const bare = await Test.createTestingModule({ imports: [StructSyncModule.forFeature([Account, Session])], providers: [Ledger] }).compile();
    expect(bare.get(Ledger).accounts.capacity).toBe(1024);
    expect(bare.get(Ledger).accounts.buffer).toBeInstanceOf(ArrayBuffer);
    await bare.close();
  });

  it('registers a shared table beside the pool when asked, injected with @InjectTable', async () => {
    const app = await Test.createTestingModule({
      imports: [StructSyncModule.forFeature([Account], { capacity: 4, table: { capacity: 16 } })],
      providers: [Balances],
    }).compile();
    const { table } = app.get(Balances);
    expect(table).toBeInstanceOf(Table);
    expect(table.buffer).toBeInstanceOf(SharedArrayBuffer);
    table.update(15, (account) => {
      account.balance += 7n;
    });
    expect(table.read(15).balance).toBe(7n);
    expect(() => table.read(16)).toThrow(expect.objectContaining({ code: 'OUT_OF_BOUNDS' }));
    expect(app.get(getTableToken(Account))).toBe(table);
    await app.close();
  });

  it('registers no table unless asked', async () => {
    const app = await Test.createTestingModule({ imports: [StructSyncModule.forFeature([Account])] }).compile();
    expect(() => app.get(getTableToken(Account))).toThrow();
    await app.close();
  });

  it('refuses a class that is not a struct when the module is declared', () => {
    class Plain {}
    expect(() => StructSyncModule.forFeature([Plain])).toThrow(expect.objectContaining({ code: 'NOT_A_STRUCT' }));
  });
});

describe('StructSyncModule.forRoot / forRootAsync', () => {
  it('forRootAsync takes its options from an injected factory', async () => {
    const CONFIG = Symbol('config');
    @Module({ providers: [{ provide: CONFIG, useValue: { poolSize: 12 } }], exports: [CONFIG] })
    class ConfigModule {}
    const app = await Test.createTestingModule({
      imports: [
        StructSyncModule.forRootAsync({
          isGlobal: true,
          imports: [ConfigModule],
          inject: [CONFIG],
          useFactory: (config: { poolSize: number }): StructSyncModuleOptions => ({ pool: { capacity: config.poolSize } }),
        }),
        StructSyncModule.forFeature([Account, Session]),
      ],
      providers: [Ledger],
    }).compile();
    expect(app.get(Ledger).accounts.capacity).toBe(12);
    expect(app.get<StructSyncModuleOptions>(STRUCTSYNC_OPTIONS)).toEqual({ pool: { capacity: 12 } });
    await app.close();
  });

  it('isGlobal: true makes the defaults reach every forFeature; without it they stay with the importing module', async () => {
    @Injectable()
    class Sessions {
      constructor(@InjectPool(Session) readonly pool: Pool<Session>) {}
    }
    @Module({ imports: [StructSyncModule.forFeature([Session])], providers: [Sessions], exports: [Sessions] })
    class SessionModule {}

    const global = await Test.createTestingModule({ imports: [StructSyncModule.forRoot({ isGlobal: true, pool: { capacity: 3 } }), SessionModule] }).compile();
    expect(global.get(Sessions).pool.capacity).toBe(3);
    await global.close();

    // forFeature's providers live in a module of their own, which sees only global options.
    const local = await Test.createTestingModule({ imports: [StructSyncModule.forRoot({ pool: { capacity: 3 } }), SessionModule] }).compile();
    expect(local.get(Sessions).pool.capacity).toBe(1024);
    expect(local.get<StructSyncModuleOptions>(STRUCTSYNC_OPTIONS)).toEqual({ pool: { capacity: 3 } });
    await local.close();
  });
});

describe('shutdown', () => {
  it('releases every record still in use: the pool is empty and views held past shutdown throw STALE_VIEW', async () => {
    @Injectable()
    class Holder {
      constructor(@Inject(getPoolToken(Account)) readonly pool: Pool<Account>) {}
    }
    const app = await Test.createTestingModule({ imports: [StructSyncModule.forFeature([Account], { capacity: 8 })], providers: [Holder] }).compile();
    const { pool } = app.get(Holder);
    const held = [pool.acquire(), pool.acquire(), pool.acquire()];
    held[0]!.id = 42;
    pool.release(held[1]!);
    expect(pool.inUse).toBe(2);
    await app.close();
    expect(pool.inUse).toBe(0);
    for (const view of held) expect(() => view.id).toThrow(MemoryError);
    expect(() => held[0]!.id).toThrow(expect.objectContaining({ code: 'STALE_VIEW' }));
  });
});
