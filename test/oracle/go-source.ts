// Writes the Go program of the Go oracle: the random structs as Go types (str as a NUL-padded
// byte array that marshals as a string, i64/u64 as int64/uint64 that marshal as decimal strings:
// structsync's JSON conventions, in Go), one struct per tag case, and a main that prints, one
// tab-separated line each: sizes, alignments and offsets (L/O), each record built from a Go
// literal as bytes (B), each record read from structsync's bytes as json.Marshal output and
// whether it equals the literal (J), and each tag's reflect.StructTag.Lookup answers with the
// json.Marshal output of a struct carrying it (T). Values reach the source as Go literals only.
import type { GoFieldDef, GoStructDef } from './go-arbitrary.js';

export interface TagCase {
  readonly tag: string;
  /** Go type of the one field `F` the tag is put on, and its value as a Go literal. */
  readonly goType: 'int32' | 'uint8' | 'bool' | 'float64' | 'float32';
  readonly literal: string;
  /** Keys to look up. */
  readonly keys: readonly string[];
}

export interface RecordCase {
  readonly def: GoStructDef;
  /** The record's value as a Go composite literal. */
  readonly literal: string;
  /** The record as structsync wrote it, in hex. */
  readonly bytes: string;
}

const SCALAR_GO: Readonly<Record<string, string>> = {
  i8: 'int8',
  u8: 'uint8',
  i16: 'int16',
  u16: 'uint16',
  i32: 'int32',
  u32: 'uint32',
  i64: 'I64',
  u64: 'U64',
  f32: 'float32',
  f64: 'float64',
  bool: 'bool',
};

/** The Go type of a field. */
export function goType(field: GoFieldDef): string {
  const { type } = field;
  if (typeof type === 'object') return field.length === undefined ? type.name : `[${field.length}]${type.name}`;
  if (type === 'str') return `S${field.size}`;
  if (type === 'bytes') return `[${field.size}]byte`;
  return field.length === undefined ? SCALAR_GO[type]! : `[${field.length}]${SCALAR_GO[type]}`;
}

/** A Go string literal: JSON's escapes are a subset of Go's. */
const goString = (s: string): string => JSON.stringify(s);

function structSource(def: GoStructDef): string {
  const fields = def.fields.map((f) => `\t${f.name} ${goType(f)}${f.tag === undefined ? '' : ` ${goString(f.tag)}`}`);
  return `type ${def.name} struct {\n${fields.join('\n')}\n}\n`;
}

const PRELUDE = `package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"unsafe"
)

type I64 int64

func (v I64) MarshalJSON() ([]byte, error) { return []byte(strconv.Quote(strconv.FormatInt(int64(v), 10))), nil }

type U64 uint64

func (v U64) MarshalJSON() ([]byte, error) { return []byte(strconv.Quote(strconv.FormatUint(uint64(v), 10))), nil }

func marshalStr(b []byte) ([]byte, error) {
	if n := bytes.IndexByte(b, 0); n >= 0 {
		b = b[:n]
	}
	return json.Marshal(string(b))
}

func raw(p unsafe.Pointer, n uintptr) []byte { return unsafe.Slice((*byte)(p), n) }

func mustJSON(v interface{}) string {
	out, err := json.Marshal(v)
	if err != nil {
		return "ERROR " + err.Error()
	}
	return string(out)
}

func lookups(t reflect.Type, keys []string) string {
	out := []interface{}{}
	for _, k := range keys {
		v, ok := t.Field(0).Tag.Lookup(k)
		out = append(out, []interface{}{k, ok, v})
	}
	return mustJSON(out)
}

func fill(dst []byte, h string) {
	b, err := hex.DecodeString(h)
	if err != nil || len(b) != len(dst) {
		panic("bad record bytes")
	}
	copy(dst, b)
}
`;

const MAIN = `func main() {
	for _, s := range structs {
		t := reflect.TypeOf(s)
		fmt.Printf("L\\t%s\\t%d\\t%d\\n", t.Name(), t.Size(), t.Align())
		for i := 0; i < t.NumField(); i++ {
			fmt.Printf("O\\t%s\\t%s\\t%d\\n", t.Name(), t.Field(i).Name, t.Field(i).Offset)
		}
	}
	for i, r := range records {
		t := reflect.TypeOf(r)
		v := reflect.New(t)
		v.Elem().Set(reflect.ValueOf(r))
		fmt.Printf("B\\t%s\\t%x\\n", t.Name(), raw(v.UnsafePointer(), t.Size()))
		w := reflect.New(t)
		fill(raw(w.UnsafePointer(), t.Size()), recordBytes[i])
		fmt.Printf("J\\t%s\\t%v\\t%s\\n", t.Name(), reflect.DeepEqual(r, w.Elem().Interface()), mustJSON(w.Elem().Interface()))
	}
	for i, v := range tagValues {
		fmt.Printf("T\\t%d\\t%s\\t%s\\n", i, lookups(reflect.TypeOf(v), tagKeys[i]), mustJSON(v))
	}
}
`;

/** Line numbers (1-based) of each tag case's field, for go vet's reports. */
export interface GoProgram {
  readonly source: string;
  readonly tagLines: ReadonlyMap<number, number>;
}

export function goProgram(structs: readonly GoStructDef[], records: readonly RecordCase[], tags: readonly TagCase[]): GoProgram {
  const parts: string[] = [PRELUDE];
  const strSizes = new Set<number>();
  for (const def of structs) for (const f of def.fields) if (f.type === 'str') strSizes.add(f.size!);
  for (const size of strSizes) parts.push(`type S${size} [${size}]byte\n\nfunc (s S${size}) MarshalJSON() ([]byte, error) { return marshalStr(s[:]) }\n`);
  for (const def of structs) parts.push(structSource(def));
  // Tag cases: one struct each, its field on a line of its own so that go vet's reports map back.
  const tagLines = new Map<number, number>();
  let line = parts.join('\n').split('\n').length;
  const tagStructs: string[] = [];
  tags.forEach((c, i) => {
    tagStructs.push(`type T${i} struct {`, `\tF ${c.goType} ${goString(c.tag)}`, '}');
    tagLines.set(line + 2, i);
    line += 3;
  });
  parts.push(tagStructs.join('\n'));
  // Data, not statements: package-level tables of constant composite literals are laid out by the
  // compiler as static data, and main walks them by reflection. A main of one statement per value
  // took the compiler ~30 s on these 11,000 lines; this takes a few.
  parts.push(`var structs = []interface{}{${structs.map((d) => `${d.name}{}`).join(', ')}}`);
  parts.push(`var records = []interface{}{\n${records.map((r) => `\t${r.literal},`).join('\n')}\n}`);
  parts.push(`var recordBytes = []string{\n${records.map((r) => `\t"${r.bytes}",`).join('\n')}\n}`);
  parts.push(`var tagValues = []interface{}{\n${tags.map((c, i) => `\tT${i}{F: ${c.literal}},`).join('\n')}\n}`);
  parts.push(`var tagKeys = [][]string{\n${tags.map((c) => `\t{${c.keys.map(goString).join(', ')}},`).join('\n')}\n}`);
  parts.push(MAIN);
  return { source: parts.join('\n'), tagLines };
}
