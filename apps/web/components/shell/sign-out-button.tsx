"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { authClient, authErrorMessage, thrownAuthMessage } from "@/lib/auth-client";
import { disconnectSocket } from "@/lib/socket";
import { Button } from "../ui/button";

export function SignOutButton() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const signOut = useMutation({
    mutationFn: async () => {
      let result: Awaited<ReturnType<typeof authClient.signOut>>;
      try {
        result = await authClient.signOut();
      } catch (err) {
        throw new Error(thrownAuthMessage(err));
      }
      if (result.error) throw new Error(authErrorMessage(result.error));
    },
    onSuccess: () => {
      disconnectSocket();
      queryClient.clear();
      router.replace("/sign-in");
    },
  });
  return (
    <div className="flex items-center gap-2">
      {signOut.error && (
        <span role="alert" className="text-xs text-red-700">
          {signOut.error.message}
        </span>
      )}
      <Button variant="ghost" onClick={() => signOut.mutate()} pending={signOut.isPending} pendingLabel="Signing out…">
        Sign out
      </Button>
    </div>
  );
}
