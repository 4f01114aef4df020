import { expect, type Page } from "@playwright/test";

/** As the instance owner, in /settings: turn "Allow local git sources" on or off. */
export async function setLocalSources(owner: Page, on: boolean): Promise<void> {
  await owner.goto("/settings");
  const box = owner.getByRole("checkbox", { name: /Allow local git sources/ });
  await box.setChecked(on);
  await expect(box).toBeChecked({ checked: on });
}
