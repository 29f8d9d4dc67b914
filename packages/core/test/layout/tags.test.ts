// Tags: Go syntax, the short form and the object form; `-`, omitempty and the default priority
// json > db > yaml > property name (overridable per struct), as mapKeys resolves them.
import { describe, expect, it } from 'vitest';
import { DefinitionError, Field, layoutOf, mapKeys, parseTags, Struct, type StructClass, type TagInfo } from '@structsync/core';

const info = (name: string | undefined, options: string[] = [], skip = false): TagInfo => ({
  value: skip ? '-' : [name ?? '', ...options].join(','),
  name,
  skip,
  omitEmpty: options.includes('omitempty'),
  asString: options.includes('string'),
  options,
});

/** Key of every field under `tag` (undefined: the struct's priority), in field order. */
const keysOf = (type: StructClass, tag?: string): string[] => mapKeys(layoutOf(type), tag).map((k) => `${k.field.name}=${k.key}${k.omitEmpty ? '?' : ''}`);

describe('parseTags', () => {
  it('reads Go syntax with several tags and options', () => {
    expect({ ...parseTags('json:"id,omitempty" db:"user_id" yaml:"user-id,flow"') }).toEqual({
      json: info('id', ['omitempty']),
      db: info('user_id'),
      yaml: info('user-id', ['flow']),
    });
  });

  it('reads the short form, with options', () => {
    expect({ ...parseTags('json:id db:user_id,omitempty') }).toEqual({ json: info('id'), db: info('user_id', ['omitempty']) });
  });

  it('reads the object form', () => {
    expect({ ...parseTags({ json: 'id,omitempty', db: 'user_id' }) }).toEqual({ json: info('id', ['omitempty']), db: info('user_id') });
  });

  it('reads -, and Go\'s -, which names the key "-" itself', () => {
    expect(parseTags('json:"-"').json).toEqual(info(undefined, [], true));
    expect(parseTags('json:-').json).toEqual(info(undefined, [], true));
    expect(parseTags({ json: '-' }).json).toEqual(info(undefined, [], true));
    expect(parseTags('json:"-,"').json).toEqual(info('-', ['']));
  });

  it('reads json:",omitempty" as the property name with omitempty', () => {
    expect(parseTags('json:",omitempty"').json).toEqual(info(undefined, ['omitempty']));
    expect(parseTags('json:""').json).toEqual(info(undefined));
  });

  it('keeps quoted escapes, extra spaces and unknown options', () => {
    expect(parseTags('  json:"a b,string"   db:"x\\"y"  ').json).toEqual(info('a b', ['string']));
    expect(parseTags('json:"ab" db:"x y"').db).toEqual(info('x y'));
    expect(parseTags('json:"id,flow,omitempty"').json).toEqual(info('id', ['flow', 'omitempty']));
  });

  it('reads as Go does: an empty option, a key given twice (the first wins), any key Go accepts', () => {
    expect(parseTags('json:"a,"').json).toEqual(info('a', ['']));
    expect(parseTags('json:"id,,omitempty"').json).toEqual(info('id', ['', 'omitempty']));
    expect(parseTags('json:"a" json:"b"').json).toEqual(info('a'));
    expect(parseTags('é:"x" 9json:"y" x-api:"z"')).toEqual({ é: info('x'), '9json': info('y'), 'x-api': info('z') });
  });

  it('returns a frozen record without a prototype, empty for no tag', () => {
    const tags = parseTags('json:"id"');
    expect(Object.isFrozen(tags)).toBe(true);
    expect(Object.isFrozen(tags.json)).toBe(true);
    expect(Object.getPrototypeOf(tags)).toBe(null);
    expect(Object.keys(parseTags(undefined))).toEqual([]);
    expect(Object.keys(parseTags(''))).toEqual([]);
  });

  it.each([
    ['unterminated quote', 'json:"id', /unterminated quote/],
    ['missing colon', 'json', /pair/],
    ['key with a quote', 'js"on:"id"', /pair/],
    ['empty key', ':"id"', /key/],
    ['no space after a quoted value', 'json:"id"db:"x"', /not separated by spaces/],
    ['a tab between pairs', 'json:"id"\tdb:"x"', /not separated by spaces/],
    ['a leading tab', '\tjson:"id"', /a tab where a key should start/],
    ['a raw newline in a value', 'db:"a\nb"', /raw newline/],
    ['a space in json options', 'json:"a, omitempty"', /space in the options/],
    ['a space in an asn1 value', 'asn1:"a b"', /space/],
    ['two spaces in an xml value', 'xml:"a b c"', /more than one space/],
    ['short form without a value', 'json: db:"x"', /no value/],
    ['a json name encoding/json rejects', 'json:"a\'b"', /encoding\/json/],
    ['a json name of a tab', 'json:"\\t"', /encoding\/json/],
  ])('rejects a tag go vet calls malformed, naming what is wrong: %s', (_, tag, why) => {
    let caught: unknown;
    try {
      parseTags(tag);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DefinitionError);
    expect((caught as DefinitionError).code).toBe('INVALID_TAG');
    expect((caught as DefinitionError).message).toMatch(why);
  });

  it('rejects non-string values in the object form', () => {
    expect(() => parseTags({ json: 5 } as unknown as Record<string, string>)).toThrow('must be a string');
  });
});

describe('mapKeys and tag priority', () => {
  @Struct()
  class Row {
    @Field({ type: 'i64', tag: 'json:"id" db:"user_id" yaml:"uid"' }) id!: bigint;
    @Field({ type: 'str', size: 8, tag: 'db:"full_name" yaml:"name"' }) name!: string;
    @Field({ type: 'i32', tag: { yaml: 'years' } }) age!: number;
    @Field({ type: 'u8' }) plain!: number;
    @Field({ type: 'bool', tag: 'json:",omitempty" db:"-"' }) active!: boolean;
    @Field({ type: 'u32', tag: 'json:"-" db:"secret_db"' }) secret!: number;
  }

  it('resolves json > db > yaml > property name by default', () => {
    expect(keysOf(Row)).toEqual(['id=id', 'name=full_name', 'age=years', 'plain=plain', 'active=active?']);
  });

  it('resolves one named tag, falling back to the property name, leaving out `-` fields', () => {
    expect(keysOf(Row, 'json')).toEqual(['id=id', 'name=name', 'age=age', 'plain=plain', 'active=active?']);
    expect(keysOf(Row, 'db')).toEqual(['id=user_id', 'name=full_name', 'age=age', 'plain=plain', 'secret=secret_db']);
    expect(keysOf(Row, 'yaml')).toEqual(['id=uid', 'name=name', 'age=years', 'plain=plain', 'active=active', 'secret=secret']);
    expect(keysOf(Row, 'xml')).toEqual(['id=id', 'name=name', 'age=age', 'plain=plain', 'active=active', 'secret=secret']);
  });

  it('honours a per-struct tagPriority', () => {
    @Struct({ tagPriority: ['yaml', 'db'] })
    class YamlFirst {
      @Field({ type: 'i64', tag: 'json:"id" db:"user_id" yaml:"uid"' }) id!: bigint;
      @Field({ type: 'i32', tag: 'json:"age" db:"age_years"' }) age!: number;
      @Field({ type: 'u8', tag: 'json:"only_json"' }) flags!: number;
    }
    expect(layoutOf(YamlFirst).tagPriority).toEqual(['yaml', 'db']);
    // json is not in this struct's priority, so a json-only tag falls back to the property name.
    expect(keysOf(YamlFirst)).toEqual(['id=uid', 'age=age_years', 'flags=flags']);
    expect(keysOf(YamlFirst, 'json')).toEqual(['id=id', 'age=age', 'flags=only_json']);
  });

  it('uses property names only with an empty tagPriority', () => {
    @Struct({ tagPriority: [] })
    class Untagged {
      @Field({ type: 'u8', tag: 'json:"x"' }) a!: number;
    }
    expect(keysOf(Untagged)).toEqual(['a=a']);
  });

  it('caches and freezes the key list per layout and tag', () => {
    const keys = mapKeys(layoutOf(Row), 'db');
    expect(mapKeys(layoutOf(Row), 'db')).toBe(keys);
    expect(Object.isFrozen(keys)).toBe(true);
    expect(Object.isFrozen(keys[0])).toBe(true);
    expect(mapKeys(layoutOf(Row))).not.toBe(keys);
  });

  it('reports a malformed tag as INVALID_TAG naming struct and field', () => {
    @Struct()
    class Broken {
      @Field({ type: 'u8', tag: 'json:"id' }) id!: number;
    }
    let caught: unknown;
    try {
      layoutOf(Broken);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DefinitionError);
    expect((caught as DefinitionError).code).toBe('INVALID_TAG');
    expect((caught as DefinitionError).message).toBe('Broken.id: unterminated quote in tag json');
  });
});
