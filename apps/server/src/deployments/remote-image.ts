/**
 * The image of a release on a standalone remote server, made present on that server's engine
 * before the release starts. An image service's tag is pulled by the server itself (with the
 * team's registry credentials); when it cannot pull it (a private network, an image only Berth's
 * host has) and Berth's own engine has the image -- another one than the server's copy under that
 * tag, if it has one --, it is copied. An image Berth built (git sources) or a rollback's release
 * tag is copied when the server lacks it or has another image under that tag. The copy is
 * `docker save` on Berth's engine streamed into `docker load` on the server's, both through the
 * engine API (engine saveImages/loadImages): no shell, no temp file.
 */
import { engineMessage, isEngineError, type ContainerEngine } from "@berth/engine";
import { DomainError } from "../errors.ts";
import type { ReleaseImage } from "./deployment-run.ts";
import type { RunContext } from "./run-context.ts";

async function copyImage(ctx: RunContext, remote: ContainerEngine, serverName: string, ref: string): Promise<void> {
  const { tar } = await ctx.deps.engine.saveImages([ref]);
  if (tar === null) throw new DomainError("INVALID", `${ref} is neither on ${serverName} nor on Berth's host to copy from`);
  ctx.sink.system(`Copying ${ref} from Berth's host to ${serverName}`);
  await remote.loadImages(tar);
}

/** Make the release's image present on the remote engine; the release then runs it without pulling. */
export async function bringImageTo(ctx: RunContext, remote: ContainerEngine, serverName: string, image: ReleaseImage): Promise<void> {
  const { ref } = image;
  if (image.pull === "always") {
    let pulled: { warning: string | null };
    try {
      pulled = await remote.ensureImage(ref, {
        pull: "always",
        timeoutMs: ctx.timeoutsMs.start,
        ...(image.registryAuth ? { registryAuth: image.registryAuth } : {}),
      });
    } catch (err) {
      if (!isEngineError(err, "IMAGE_UNAVAILABLE") || (await ctx.deps.engine.imageId(ref)) === null) throw err;
      ctx.sink.system(`${serverName} could not pull ${ref} (${engineMessage(err)})`);
      return copyImage(ctx, remote, serverName, ref);
    }
    if (pulled.warning === null) return;
    // It could not pull and kept its own copy, which may be older than the image Berth's host
    // has under that tag (one built there, then rebuilt): the host's is what a release there runs.
    const [here, there] = await Promise.all([ctx.deps.engine.imageId(ref), remote.imageId(ref)]);
    if (here === null || here === there) return ctx.sink.system(`Warning: ${pulled.warning}`);
    ctx.sink.system(`${serverName} could not pull ${ref} and holds another image under that tag than Berth's host`);
    return copyImage(ctx, remote, serverName, ref);
  }
  const [here, there] = await Promise.all([ctx.deps.engine.imageId(ref), remote.imageId(ref)]);
  if (there !== null && (here === null || here === there)) return;
  await copyImage(ctx, remote, serverName, ref);
}
