-- structsync record commands, run atomically by Redis: one call per create, commit or delete.
-- KEYS[1] is the record's key; the change feed is published (SPUBLISH) on a channel of the same
-- name, so key and channel share a cluster slot. Values are little-endian, as in memory.
--
-- ARGV[1] op: 'create' | 'commit' | 'delete'
-- ARGV[2] shape: u32 value length, u32 byte offset of field 0's stamp, u32 payload offset, u32 field count
-- ARGV[3] identity: the 8 bytes a record of this layout holds at offset 8 (marker, fingerprint word)
-- create: ARGV[4] the whole value
-- commit: ARGV[4] policy ('reject' | 'merge' | 'overwrite'), ARGV[5] snapshot version,
--         ARGV[6] snapshot generation, ARGV[7] the value to start from when the key is missing
--         (upsert) or '', ARGV[8] the commit's dirty bits, ARGV[9] u32 pairs (field, value offset),
--         ARGV[10 ..] each listed field's bytes
-- delete: no more arguments
--
-- Replies: {'ok', version, previous version} | {'conflict', version, u32 pairs (field, stamp), value}
--          | {'missing'} | {'exists'} | {'invalid', why} | {'layout', fingerprint word}
-- Feed messages: u32 previous version, then the record's new value (nothing after it: deleted).

local key = KEYS[1]
local op = ARGV[1]
local length, stampOffset, payloadOffset, fieldCount = struct.unpack('<I4I4I4I4', ARGV[2])
local identity = ARGV[3]
local TWO32 = 4294967296
local ANCIENT = 1
local HORIZON = 1073741824

local function u32(s, offset)
  return (struct.unpack('<I4', s, offset + 1))
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

-- True when a field stamped `stamp` was written after `since` and no later than `current`
-- (modular, as record-version.ts's writtenSince).
local function writtenSince(stamp, since, current)
  if stamp % 2 == 1 then return false end
  local age = (stamp - since) % TWO32
  return age ~= 0 and age <= (current - since) % TWO32
end

local function publish(previous, value)
  redis.call('SPUBLISH', key, struct.pack('<I4', previous) .. value)
end

if op == 'create' then
  local record, failure = check()
  if record ~= nil then return {'exists'} end
  if failure[1] ~= 'missing' then return failure end
  redis.call('SET', key, ARGV[4])
  publish(0, ARGV[4])
  return {'ok', u32(ARGV[4], 0), 0}
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

local policy = ARGV[4]
local since = tonumber(ARGV[5])
local sinceGeneration = tonumber(ARGV[6])
local record, failure = check()
local created = false
if record == nil then
  if failure[1] ~= 'missing' or ARGV[7] == '' then return failure end
  -- Upsert: the zeroed record the snapshot stood for; nothing can conflict with it.
  redis.call('SET', key, ARGV[7])
  record = ARGV[7]
  created = true
end

local version = u32(record, 0)
local generation = u32(record, 4)
local list = ARGV[9]
local count = #list / 8
local fields, offsets = {}, {}
for i = 1, count do
  fields[i], offsets[i] = struct.unpack('<I4I4', list, (i - 1) * 8 + 1)
end

if policy ~= 'overwrite' and not created then
  -- A record deleted and created again since the snapshot is another record: every field conflicts.
  local replaced = generation ~= sinceGeneration
  local conflicts = {}
  for i = 1, count do
    local stamp = u32(record, stampOffset + fields[i] * 4)
    if replaced or writtenSince(stamp, since, version) then
      conflicts[#conflicts + 1] = struct.pack('<I4I4', fields[i], stamp)
    end
  end
  if #conflicts > 0 and policy == 'reject' then
    return {'conflict', version, table.concat(conflicts), record}
  end
end

local published = (version + 2) % TWO32
-- The new value, spliced in place: the version, this commit's dirty bits, the written fields'
-- stamps (`published`) and bytes.
local value = record
local function splice(at, bytes)
  value = string.sub(value, 1, at) .. bytes .. string.sub(value, at + #bytes + 1)
end
local stamp = struct.pack('<I4', published)
splice(0, stamp)
splice(16, ARGV[8])
for i = 1, count do splice(stampOffset + fields[i] * 4, stamp) end
-- Stamps are aged out as in memory (RecordStore.ageStamps), so modular comparison stays exact.
if math.floor(version / HORIZON) ~= math.floor(published / HORIZON) then
  for f = 0, fieldCount - 1 do
    local old = u32(value, stampOffset + f * 4)
    if old % 2 == 0 and (published - old) % TWO32 > HORIZON then splice(stampOffset + f * 4, struct.pack('<I4', ANCIENT)) end
  end
end
local first, last = length, 0
for i = 1, count do
  local at = payloadOffset + offsets[i]
  local bytes = ARGV[9 + i]
  splice(at, bytes)
  first = math.min(first, at)
  last = math.max(last, at + #bytes)
end
-- Two writes: the header, and the payload from the first written field's first byte to the last
-- one's last (the unchanged bytes between them written as they are). Replicas and the AOF get
-- these, not the whole record; the feed gets the whole new value.
redis.call('SETRANGE', key, 0, string.sub(value, 1, payloadOffset))
if count > 0 then redis.call('SETRANGE', key, first, string.sub(value, first + 1, last)) end
publish(version, value)
return {'ok', published, version}
