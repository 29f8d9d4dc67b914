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
local stamp = struct.pack('<I4', published)
-- The new value, built in one pass from patches in ascending offset order: the version, this
-- commit's dirty bits, the written fields' stamps (`published`), then their bytes.
local patches = {{0, stamp}, {16, ARGV[8]}}
for i = 1, count do patches[#patches + 1] = {stampOffset + fields[i] * 4, stamp} end
for i = 1, count do patches[#patches + 1] = {payloadOffset + offsets[i], ARGV[9 + i]} end
table.sort(patches, function(a, b) return a[1] < b[1] end)
local pieces, at = {}, 0
for _, patch in ipairs(patches) do
  pieces[#pieces + 1] = string.sub(record, at + 1, patch[1])
  pieces[#pieces + 1] = patch[2]
  at = patch[1] + #patch[2]
end
local last = at
pieces[#pieces + 1] = string.sub(record, at + 1)
local value = table.concat(pieces)
-- Stamps are aged out as in memory (RecordStore.ageStamps), so modular comparison stays exact.
-- Once per 2^29 commits: then the whole header is rewritten.
if math.floor(version / HORIZON) ~= math.floor(published / HORIZON) then
  for f = 0, fieldCount - 1 do
    local at = stampOffset + f * 4
    local old = u32(value, at)
    if old % 2 == 0 and (published - old) % TWO32 > HORIZON then
      value = string.sub(value, 1, at) .. struct.pack('<I4', ANCIENT) .. string.sub(value, at + 5)
    end
  end
  last = math.max(last, payloadOffset)
end
-- One write, from the header through the last written field (the unchanged bytes between them
-- as they are): replicas and the AOF get that, not the whole record; the feed gets the new value.
redis.call('SETRANGE', key, 0, string.sub(value, 1, last))
publish(version, value)
return {'ok', published, version}
