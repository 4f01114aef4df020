import type { Metadata } from "next";
import { InstanceSettings } from "@/components/settings/instance-settings";

export const metadata: Metadata = { title: "Settings" };

export default function SettingsPage() {
  return <InstanceSettings />;
}
