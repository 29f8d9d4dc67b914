-- structsync record commands, run atomically by Redis: one call per create, commit or delete.
-- KEYS[1] is the record's key; the change feed is published (SPUBLISH) on a channel of the same
-- name, so key and channel share a cluster slot. Values are little-endian (record-format.ts):
-- u32 version, u32 generation, 8 identity bytes, the dirty bits, u16 stamps, the payload.
-- The request travels in few arguments, packed: each argument costs the client an encoding step
-- and a write chunk, which cost more than the script's unpacking.
--
-- ARGV[1] op: 'create' | 'commit' | 'delete'
-- ARGV[2] the layout's head: u32 value length, u32 byte offset of field 0's stamp, u32 payload
--         offset, u32 field count, then the 8 identity bytes a record of this layout holds at
--         offset 8 (marker, fingerprint word); for a commit, followed by: the policy ('r' reject,
--         'm' merge, 'o' overwrite), u32 snapshot version, u32 snapshot generation, u32 count, the
--         commit's dirty bits, count u32 triples (field, value offset, size) in ascending offset
--         order, then the listed fields' bytes one after another
-- create: ARGV[3] the whole value
-- commit: ARGV[3] the value to start from when the key is missing (upsert) or ''
-- delete: no more arguments
--
-- Replies: {'ok', version, previous version} | {'conflict', version, u32 pairs (field, stamp), value}
--          | {'missing'} | {'exists'} | {'invalid', why} | {'layout', fingerprint word}
-- Feed messages: u32 previous version, then the record's new value (nothing after it: deleted).

local key = KEYS[1]
local op = ARGV[1]
local head = ARGV[2]
local length, stampOffset, payloadOffset, fieldCount = struct.unpack('<I4I4I4I4', head)
local identity = string.sub(head, 17, 24)
local TWO32 = 4294967296
local TWO16 = 65536
local ANCIENT = 1
-- Stamps are the low 16 bits of the version that wrote the field. Each time the version enters a
-- new multiple of HORIZON, stamps more than HORIZON old are aged out (ANCIENT), so a live stamp is
-- always less than 2 * HORIZON < 2^16 behind the version and names exactly one full version.
local HORIZON = 16384

local function u32(s, offset)
  return (struct.unpack('<I4', s, offset + 1))
end

local function u16(s, offset)
  local lo, hi = string.byte(s, offset + 1, offset + 2)
  return lo + hi * 256
end

local function pack16(n)
  return string.char(n % 256, math.floor(n / 256))
end

-- The record's value if the key holds a record of this layout; otherwise a reply saying why.
-- Nothing is ever written to a key that fails this check. One GET: its value also answers a
-- conflict (so the client retries without reading again) and is the base of the published one.
local function check()
  local value = redis.pcall('GET', key)
  if type(value) == 'table' then return nil, {'invalid', 'the key holds another type than a string'} end
  if not value then return nil, {'missing'} end
  local size = #value
  if size < 16 or string.sub(value, 9, 12) ~= string.sub(identity, 1, 4) then
    return nil, {'invalid', 'the key holds a value that is not a structsync record (' .. size .. ' bytes)'}
  end
  if string.sub(value, 13, 16) ~= string.sub(identity, 5, 8) then return nil, {'layout', u32(value, 12)} end
  if size ~= length then return nil, {'invalid', 'the value holds ' .. size .. ' bytes, a record of this layout ' .. length} end
  if u32(value, 0) % 2 == 1 then return nil, {'invalid', 'its version is odd'} end
  return value, nil
end

local function publish(previous, value)
  redis.call('SPUBLISH', key, struct.pack('<I4', previous) .. value)
end

if op == 'create' then
  local record, failure = check()
  if record ~= nil then return {'exists'} end
  if failure[1] ~= 'missing' then return failure end
  redis.call('SET', key, ARGV[3])
  publish(0, ARGV[3])
  return {'ok', u32(ARGV[3], 0), 0}
end

if op == 'delete' then
  local record, failure = check()
  if record == nil then return failure end
  local version = u32(record, 0)
  redis.call('DEL', key)
  publish(version, '')
  return {'ok', version, version}
end

if op ~= 'commit' then return redis.error_reply('structsync: unknown op ' .. tostring(op)) end

local POLICIES = {r = 'reject', m = 'merge', o = 'overwrite'}
local code, since, sinceGeneration, count, at = struct.unpack('<c1I4I4I4', head, 25)
local policy = POLICIES[code]
if policy == nil then return redis.error_reply('structsync: unknown policy ' .. tostring(code)) end
local dirtyBits = string.sub(head, at, at + math.floor((fieldCount + 7) / 8) - 1)
at = at + #dirtyBits
-- One unpack for the whole list: field, offset, size, field, offset, size, …; the fields' bytes follow it.
local items = {struct.unpack('<' .. string.rep('I4', 3 * count), head, at)}
local bytesAt = at + 12 * count

local record, failure = check()
local created = false
if record == nil then
  if failure[1] ~= 'missing' or ARGV[3] == '' then return failure end
  -- Upsert: the zeroed record the snapshot stood for; nothing can conflict with it.
  redis.call('SET', key, ARGV[3])
  record = ARGV[3]
  created = true
end

local version, generation = struct.unpack('<I4I4', record)

if policy ~= 'overwrite' and not created then
  -- A record deleted and created again since the snapshot is another record: every field conflicts.
  local replaced = generation ~= sinceGeneration
  local behind = (version - since) % TWO32
  local conflicts = {}
  for i = 1, 3 * count, 3 do
    local field = items[i]
    local stamp = u16(record, stampOffset + field * 2)
    local written, full
    if stamp % 2 == 1 then
      -- Aged out: written more than HORIZON before the version. A snapshot that recent did not
      -- see a later write; an older snapshot cannot tell, so the field conflicts (never a lost write).
      full = ANCIENT
      written = behind > HORIZON
    else
      full = (version - (version - stamp) % TWO16) % TWO32
      local age = (full - since) % TWO32
      written = age ~= 0 and age <= behind
    end
    if replaced or written then conflicts[#conflicts + 1] = struct.pack('<I4I4', field, full) end
  end
  if #conflicts > 0 and policy == 'reject' then
    return {'conflict', version, table.concat(conflicts), record}
  end
end

local published = (version + 2) % TWO32
local aging = math.floor(version / HORIZON) ~= math.floor(published / HORIZON)
local stampOf = pack16(published % TWO16)
-- The stamps: this commit's fields get `published`; on entering a new HORIZON, old ones age out.
local stamps
if aging then
  local written = {}
  for i = 1, 3 * count, 3 do written[items[i]] = true end
  local all = {}
  for f = 0, fieldCount - 1 do
    local stamp = u16(record, stampOffset + f * 2)
    if written[f] then
      all[f + 1] = stampOf
    elseif stamp % 2 == 0 and (published - stamp) % TWO16 > HORIZON then
      all[f + 1] = pack16(ANCIENT)
    else
      all[f + 1] = string.sub(record, stampOffset + f * 2 + 1, stampOffset + f * 2 + 2)
    end
  end
  stamps = table.concat(all)
else
  local fields = {}
  for i = 1, 3 * count, 3 do fields[#fields + 1] = items[i] end
  table.sort(fields)
  local pieces, at = {}, stampOffset
  for _, f in ipairs(fields) do
    local offset = stampOffset + f * 2
    pieces[#pieces + 1] = string.sub(record, at + 1, offset)
    pieces[#pieces + 1] = stampOf
    at = offset + 2
  end
  pieces[#pieces + 1] = string.sub(record, at + 1, payloadOffset)
  stamps = table.concat(pieces)
end

-- The new value in one pass: the version, the unchanged identity words, this commit's dirty
-- bits, the stamps, then the payload with the written fields' bytes spliced in.
local pieces = {struct.pack('<I4', published), string.sub(record, 5, 16), dirtyBits, stamps}
at = payloadOffset
for i = 1, 3 * count, 3 do
  local offset, size = payloadOffset + items[i + 1], items[i + 2]
  pieces[#pieces + 1] = string.sub(record, at + 1, offset)
  pieces[#pieces + 1] = string.sub(head, bytesAt, bytesAt + size - 1)
  bytesAt = bytesAt + size
  at = offset + size
end
local last = at
pieces[#pieces + 1] = string.sub(record, at + 1)
local value = table.concat(pieces)
-- One write, from the header through the last written field (the unchanged bytes between them
-- as they are): replicas and the AOF get that, not the whole record; the feed gets the new value.
redis.call('SETRANGE', key, 0, string.sub(value, 1, last))
publish(version, value)
return {'ok', published, version}
