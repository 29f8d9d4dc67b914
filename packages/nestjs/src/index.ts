// Public API of @structsync/nestjs. Every export is named here; nothing else is public.
export { StructSyncModule } from './structsync-module';
export { StructSyncDebugModule } from './debug-module';
export type { StructSyncDebugOptions } from './debug-module';
export { STRUCTSYNC_OPTIONS } from './module-definition';
export type {
  StructBodyOptions,
  StructFeatureOptions,
  StructPoolOptions,
  StructSyncModuleOptions,
  StructTableOptions,
} from './options';
export { getPoolToken, getTableToken, InjectPool, InjectTable } from './tokens';
export { StructBody } from './struct-body';
export { StructBodyPipe } from './struct-body-pipe';
export type { StructBodyExchange, StructBodySpec } from './struct-body-pipe';
export type { StructBodyErrorResponse } from './body-errors';
export { StructResponseInterceptor } from './response-interceptor';
export { useStructBodies } from './use-struct-bodies';
export type { StructBodiesOptions } from './use-struct-bodies';
export { prefersBytes } from './accept';
