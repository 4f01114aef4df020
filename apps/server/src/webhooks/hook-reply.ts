/** What a hook request is answered (status + JSON body). */
export interface HookReply {
  status: number;
  body: Record<string, unknown>;
}
