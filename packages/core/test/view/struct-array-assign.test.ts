// Assigning a struct-array field from views: the elements are copied as they were when the
// assignment started, even when they are elements of the same array (a swap or a rotation) or
// overlap it in the same buffer; a refused assignment writes nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Field, sizeof, Struct, ValueError, view } from '@structsync/core';
import { codeOf } from '../support/error-code.js';

@Struct()
class Item {
  @Field({ type: 'i32' }) id!: number;
  @Field({ type: 'str', size: 4 }) name!: string;
}

@Struct()
class Basket {
  @Field({ type: 'u8' }) count!: number;
  @Field({ type: Item, length: 3 }) items!: Item[];
}

const names = (b: Basket): string[] => b.items.map((i) => `${i.id}${i.name}`);

describe.each([true, false])('struct_array_assignment_from_its_own_elements (codegen %s)', (codegen) => {
  const setup = (records = 1): { baskets: Basket[]; bytes: Uint8Array } => {
    const buffer = new ArrayBuffer(sizeof(Basket) * records);
    const baskets = Array.from({ length: records }, (_, r) => {
      const basket = view(Basket, buffer, r * sizeof(Basket), { codegen });
      basket.items.forEach((item, i) => {
        item.id = r * 10 + i;
        item.name = 'abc'[i]!;
      });
      return basket;
    });
    return { baskets, bytes: new Uint8Array(buffer) };
  };

  it('swaps two elements', () => {
    const [basket] = setup().baskets;
    basket!.items = [basket!.items[1]!, basket!.items[0]!, basket!.items[2]!];
    expect(names(basket!)).toEqual(['1b', '0a', '2c']);
  });

  it('rotates the elements both ways', () => {
    const [basket] = setup().baskets;
    const [a, b, c] = basket!.items;
    basket!.items = [c!, a!, b!];
    expect(names(basket!)).toEqual(['2c', '0a', '1b']);
    basket!.items = [basket!.items[1]!, basket!.items[2]!, basket!.items[0]!];
    expect(names(basket!)).toEqual(['0a', '1b', '2c']);
  });

  it('repeats one element into every slot', () => {
    const [basket] = setup().baskets;
    basket!.items = [basket!.items[2]!, basket!.items[2]!, basket!.items[0]!];
    expect(names(basket!)).toEqual(['2c', '2c', '0a']);
  });

  it('copies from another record of the same buffer', () => {
    const { baskets } = setup(2);
    const [first, second] = baskets;
    second!.items = [first!.items[2]!, second!.items[0]!, first!.items[0]!];
    expect(names(second!)).toEqual(['2c', '10a', '0a']);
    expect(names(first!)).toEqual(['0a', '1b', '2c']);
  });

  it('reads each element of the array once (a Proxy cannot swap a view for a non-view after the check)', () => {
    const { baskets, bytes } = setup();
    const basket = baskets[0]!;
    const [a, b, c] = basket.items;
    const reads = [0, 0, 0];
    const fickle = new Proxy([c!, b!, a!], {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d$/.test(key) && reads[Number(key)]!++ > 0) return { id: 99 };
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    basket.items = fickle;
    expect(names(basket)).toEqual(['2c', '1b', '0a']);
    const before = bytes.slice();
    const late = new Proxy([a!, b!, c!], {
      get(target, key, receiver) {
        return key === '2' ? { id: 1 } : (Reflect.get(target, key, receiver) as unknown);
      },
    });
    expect(codeOf(() => (basket.items = late), ValueError)).toBe('TYPE_MISMATCH');
    expect(bytes).toEqual(before);
  });

  it('any choice of its own elements gives what plain values would (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 3, maxLength: 3 }), (picks) => {
        const [basket] = setup().baskets;
        const expected = picks.map((i) => names(basket!)[i]);
        basket!.items = picks.map((i) => basket!.items[i]!);
        expect(names(basket!)).toEqual(expected);
      }),
    );
  });

  it('a refused assignment writes nothing', () => {
    const { baskets, bytes } = setup();
    const basket = baskets[0]!;
    const before = bytes.slice();
    expect(codeOf(() => (basket.items = [basket.items[1]!, basket.items[0]!] as Item[]), ValueError)).toBe('TYPE_MISMATCH');
    expect(bytes).toEqual(before);
  });
});
