import { expect, type Page } from "@playwright/test";

/**
 * As the instance owner, in /settings: turn "Allow local git sources" on or off, and wait until
 * the server has it. The checkbox shows the new state at once and is disabled while the change
 * is saved; a caller that closes the page right after the click would abort the request (a CI
 * run once went on with the old setting), so this waits for the save and reads it back.
 */
export async function setLocalSources(owner: Page, on: boolean): Promise<void> {
  await owner.goto("/settings");
  const box = owner.getByRole("checkbox", { name: /Allow local git sources/ });
  await expect(box).toBeEnabled();
  await box.setChecked(on);
  await expect(box).toBeEnabled();
  await owner.reload();
  await expect(box).toBeChecked({ checked: on });
}
