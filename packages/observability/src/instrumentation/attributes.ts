// Attribute and metric names, under `structsync.` as the semantic-convention rules ask (lowercase,
// dot-separated, snake_case inside a component; durations in seconds; counts in {unit}).
export const ATTR_STRUCT = 'structsync.struct';
export const ATTR_RECORD = 'structsync.record';
export const ATTR_FIELDS = 'structsync.fields';
export const ATTR_VERSION_BEFORE = 'structsync.version.before';
export const ATTR_VERSION_AFTER = 'structsync.version.after';
export const ATTR_POLICY = 'structsync.policy';
export const ATTR_RETRIES = 'structsync.retries';
export const ATTR_RETRY_REASON = 'structsync.retry.reason';
export const ATTR_WAIT_KIND = 'structsync.wait.kind';
export const ATTR_WAIT_OUTCOME = 'structsync.wait.outcome';
export const ATTR_BIND_FROM = 'structsync.bind.from';
export const ATTR_BIND_TO = 'structsync.bind.to';
export const ATTR_TAG = 'structsync.tag';
export const ATTR_ERROR_CODE = 'structsync.error.code';
export const ATTR_PATH = 'structsync.path';
/** From the general semantic conventions: the class of error an operation ended with. */
export const ATTR_ERROR_TYPE = 'error.type';

export const METRIC_COMMITS = 'structsync.commit.count';
export const METRIC_CONFLICTS = 'structsync.conflict.count';
export const METRIC_RETRIES = 'structsync.retry.count';
export const METRIC_COMMIT_DURATION = 'structsync.commit.duration';
export const METRIC_WAIT_DURATION = 'structsync.wait.duration';
export const METRIC_REJECTIONS = 'structsync.rejection.count';
export const METRIC_POOL_IN_USE = 'structsync.pool.in_use';
export const METRIC_POOL_CAPACITY = 'structsync.pool.capacity';
