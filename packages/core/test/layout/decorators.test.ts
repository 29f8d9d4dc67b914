// @Struct and @Field only record facts: nothing is computed or checked when a class is declared,
// instances stay plain objects, and inheritance and other decorator libraries keep working.
import { IsInt, Min, validateSync } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { DefinitionError, Field, layoutOf, sizeof, Struct, type FieldSpec, type StructClass } from '@structsync/core';

type PropertyDecorator = (target: object, key: string) => void;

describe('@Field and @Struct', () => {
  it('record facts only: a bad spec fails when the layout is asked for, not when declared', () => {
    class Late {}
    expect(() => (Field({ type: 'nope' } as unknown as FieldSpec) as PropertyDecorator)(Late.prototype, 'x')).not.toThrow();
    expect(() => Struct()(Late)).not.toThrow();
    expect(() => layoutOf(Late)).toThrow(DefinitionError);
  });

  it('leave instances plain: the constructor runs, methods work, no accessors are added', () => {
    @Struct()
    class Point {
      @Field({ type: 'i32' }) x = 3;
      @Field({ type: 'i32' }) y = 4;
      length(): number {
        return Math.hypot(this.x, this.y);
      }
    }
    const point = new Point();
    expect(point.length()).toBe(5);
    expect(Object.keys(point)).toEqual(['x', 'y']);
    expect(Object.getOwnPropertyNames(Point.prototype)).toEqual(['constructor', 'length']);
    expect(sizeof(Point)).toBe(8);
  });

  it('copy the spec and the options: changing them afterwards does not change the layout', () => {
    const spec = { type: 'str', size: 8, tag: { json: 'label' } } as { type: 'str'; size: number; tag: Record<string, string> };
    const options = { align: 4 };
    class Copied {}
    (Field(spec) as PropertyDecorator)(Copied.prototype, 'label');
    Struct(options)(Copied);
    spec.size = 100;
    spec.tag.json = 'other';
    options.align = 64;
    const layout = layoutOf(Copied);
    expect([layout.size, layout.align, layout.fields[0]!.tags.json!.name]).toEqual([8, 4, 'label']);
  });

  it('compute the layout once, frozen all the way down', () => {
    @Struct()
    class Inner {
      @Field({ type: 'u16', tag: 'json:"v"' }) value!: number;
    }
    @Struct({ tagPriority: ['db'] })
    class Outer {
      @Field({ type: Inner }) inner!: Inner;
    }
    const layout = layoutOf(Outer);
    expect(layoutOf(Outer)).toBe(layout);
    expect(layout.fields[0]!.struct).toBe(layoutOf(Inner));
    for (const frozen of [layout, layout.fields, layout.fields[0], layout.tagPriority, layoutOf(Inner).fields[0]!.tags, layoutOf(Inner).fields[0]!.tags.json]) {
      expect(Object.isFrozen(frozen)).toBe(true);
    }
  });

  it('use the name option for the layout name and keep the class as its type', () => {
    @Struct({ name: 'wire.Header' })
    class Header {
      @Field({ type: 'u8' }) kind!: number;
    }
    expect(layoutOf(Header).name).toBe('wire.Header');
    expect(layoutOf(Header).type).toBe(Header);
  });
});

describe('inheritance', () => {
  class Entity {
    @Field({ type: 'u8' }) version!: number;
    @Field({ type: 'i64' }) id!: bigint;
  }

  @Struct()
  class Product extends Entity {
    @Field({ type: 'u16' }) stock!: number;
  }

  @Struct()
  class Book extends Product {
    @Field({ type: 'str', size: 13 }) isbn!: string;
  }

  @Struct()
  class Gadget extends Entity {
    @Field({ type: 'f32' }) weight!: number;
  }

  it('lays out base-class fields first, from an undecorated base, through several levels', () => {
    expect(layoutOf(Product).fields.map((f) => [f.name, f.offset, f.index])).toEqual([
      ['version', 0, 0],
      ['id', 8, 1],
      ['stock', 16, 2],
    ]);
    expect(layoutOf(Book).fields.map((f) => [f.name, f.offset])).toEqual([
      ['version', 0],
      ['id', 8],
      ['stock', 16],
      ['isbn', 18],
    ]);
    expect(sizeof(Book)).toBe(32);
  });

  it('keeps sibling subclasses apart', () => {
    expect(layoutOf(Gadget).fields.map((f) => f.name)).toEqual(['version', 'id', 'weight']);
    expect(layoutOf(Product).fields.map((f) => f.name)).toEqual(['version', 'id', 'stock']);
  });

  it('gives a decorated subclass without fields of its own the base fields', () => {
    @Struct()
    class Plain extends Product {}
    expect(sizeof(Plain)).toBe(sizeof(Product));
  });

  it('requires @Struct on the subclass itself', () => {
    class Undecorated extends Product {
      @Field({ type: 'u8' }) extra!: number;
    }
    let caught: unknown;
    try {
      layoutOf(Undecorated as StructClass);
    } catch (error) {
      caught = error;
    }
    expect((caught as DefinitionError).code).toBe('NOT_A_STRUCT');
    expect((caught as DefinitionError).message).toBe('Undecorated is not decorated with @Struct');
  });

  it('lays out a subclass with its own options, flattened (a packed subclass packs base fields too)', () => {
    @Struct({ packed: true })
    class PackedProduct extends Entity {
      @Field({ type: 'u16' }) stock!: number;
    }
    expect(layoutOf(PackedProduct).fields.map((f) => f.offset)).toEqual([0, 1, 9]);
    expect(sizeof(PackedProduct)).toBe(11);
  });
});

describe('other decorator libraries', () => {
  it('work on the same properties (class-validator)', () => {
    @Struct()
    class Order {
      @IsInt()
      @Min(1)
      @Field({ type: 'u32' })
      quantity!: number;
    }
    const order = new Order();
    order.quantity = 0;
    expect(validateSync(order).map((e) => Object.keys(e.constraints ?? {}))).toEqual([['min']]);
    order.quantity = 2;
    expect(validateSync(order)).toEqual([]);
    expect(layoutOf(Order).fields.map((f) => f.name)).toEqual(['quantity']);
  });
});
