import type { Metadata } from "next";
import { StackView } from "@/components/stack/stack-view";

export const metadata: Metadata = { title: "Stack" };

export default async function StackPage({ params }: { params: Promise<{ stackId: string }> }) {
  const { stackId } = await params;
  return <StackView stackId={stackId} />;
}
