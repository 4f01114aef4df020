"use client";

import { useId, useImperativeHandle, useRef, type ReactNode, type Ref } from "react";

export interface DialogHandle {
  open(): void;
  close(): void;
}

/**
 * A modal `<dialog>` (focus moves in, Escape closes, the page behind is inert) named by its
 * title. Open and close it through `ref`.
 */
export function Dialog({
  ref,
  title,
  children,
  onOpen,
}: {
  ref: Ref<DialogHandle>;
  title: string;
  children: ReactNode;
  onOpen?: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useImperativeHandle(ref, () => ({
    open: () => {
      onOpen?.();
      dialog.current?.showModal();
    },
    close: () => dialog.current?.close(),
  }));
  return (
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      className="m-auto w-full max-w-md rounded-lg border border-line bg-surface p-0 text-fg shadow-xl backdrop:bg-slate-900/40"
    >
      <div className="space-y-4 p-6">
        <h2 id={titleId} className="text-lg font-semibold text-fg">
          {title}
        </h2>
        {children}
      </div>
    </dialog>
  );
}
