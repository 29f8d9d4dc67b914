// One node:inspector session for this thread's profilers, posted to with promises.
import { Session } from 'node:inspector';

let session: Session | undefined;

/** Posts an inspector command on the shared session (connected on first use). */
export function post<T>(method: string, params?: object): Promise<T> {
  if (session === undefined) {
    session = new Session();
    session.connect();
  }
  const open = session;
  return new Promise<T>((resolve, reject) => {
    open.post(method, params ?? {}, (error, result) => (error === null ? resolve(result as T) : reject(error)));
  });
}
