// The publication gate in the browser, with JavaScript on and off: the librarian publishes the
// festival's accepted snapshot to the members' parents, then to everyone, and takes it down;
// an anonymous visitor and the parent read it only while their audience may (the parent
// downloads the archive); a secret link
// opens it without signing in until it is revoked.
import { test, expect, Browser, Page } from '@playwright/test';

const demoPassword = process.env.E2E_DEMO_PASSWORD ?? '';

async function signIn(page: Page, username: string) {
  await page.goto('/login');
  await page.getByLabel('Имя пользователя').fill(username);
  await page.getByLabel('Пароль').fill(demoPassword);
  await page.getByRole('button', { name: 'Войти' }).last().click();
  await expect(page.getByRole('button', { name: 'Выйти' })).toBeVisible();
}

async function visitor(browser: Browser, javaScriptEnabled: boolean): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled });
  return context.newPage();
}

test('a librarian publishes an accepted snapshot, parents and visitors read it, and it is taken down', async ({ page, browser }, testInfo) => {
  const js = testInfo.project.name === 'js';
  await signIn(page, 'bibl.sosh1');
  await page.goto('/projects');
  await page.getByRole('link', { name: /Фестиваль коренных народов/ }).first().click();
  await page.getByRole('link', { name: 'Публикация' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Публикация проекта');
  const projectId = page.url().split('/projects/')[1].split('/')[0];
  // The publisher sees who will be named and who will not.
  await expect(page.getByText('Мария И., 7Б')).toBeVisible();
  await expect(page.getByText('анонимно: нет согласия на публикацию').first()).toBeVisible();

  // To the members' parents.
  await page.getByLabel('участникам проекта и их родителям').check();
  await page.getByRole('button', { name: 'Опубликовать', exact: true }).click();
  await expect(page.getByRole('status').first()).toContainText('Опубликовано (участникам проекта и их родителям)');

  const anonymous = await visitor(browser, js);
  await anonymous.goto(`/p/${projectId}`);
  await expect(anonymous.getByRole('heading', { name: 'Страница не найдена' })).toBeVisible();
  const parent = await visitor(browser, js);
  await signIn(parent, 'roditel.ivanova');
  await parent.goto(`/p/${projectId}`);
  await expect(parent.getByRole('heading', { level: 1 })).toContainText('Фестиваль коренных народов');
  await expect(parent.getByText('Мария И., 7Б')).toBeVisible();
  // The parent keeps the project as a static archive.
  const [archive] = await Promise.all([
    parent.waitForEvent('download'),
    parent.getByRole('link', { name: 'Скачать архив проекта (zip)' }).click(),
  ]);
  expect(archive.suggestedFilename()).toMatch(/\.zip$/);

  // To everyone: the visitor reads it, with no surname of a pupil.
  await page.getByLabel('всем').check();
  await page.getByRole('button', { name: 'Опубликовать', exact: true }).click();
  await expect(page.getByRole('status').first()).toContainText('Опубликовано (всем)');
  await anonymous.goto(`/p/${projectId}`);
  await expect(anonymous.getByRole('heading', { level: 1 })).toContainText('Фестиваль коренных народов');
  await expect(anonymous.locator('main')).not.toContainText('Иванова');
  await expect(anonymous.locator('main')).not.toContainText('Петров');
  // The home page lists it among the published projects, with the district's feed.
  await anonymous.goto('/');
  await anonymous
    .getByRole('region', { name: 'Опубликованные проекты' })
    .getByRole('link', { name: /Фестиваль коренных народов/ })
    .click();
  await expect(anonymous).toHaveURL(new RegExp(`/p/${projectId}$`));
  await anonymous.goto('/');
  await expect(anonymous.getByRole('link', { name: 'Лента новых проектов (Atom)' })).toBeVisible();

  // A secret link, opened without signing in, then revoked.
  await page.getByLabel('Срок, дней').fill('7');
  await page.getByRole('button', { name: 'Создать ссылку' }).click();
  const link = await page.locator('#new-link').getAttribute('href');
  expect(link).toMatch(/^\/s\//);
  await anonymous.goto(link!);
  await expect(anonymous.getByText('Вы открыли проект по ссылке')).toBeVisible();
  await page.getByRole('button', { name: 'Отозвать' }).first().click();
  await expect(page.getByRole('button', { name: 'Отозвать' })).toHaveCount(0);
  await anonymous.goto(link!);
  await expect(anonymous.getByText('Этого больше нет')).toBeVisible();

  // Taken down from the published page itself.
  await page.goto(`/p/${projectId}`);
  await page.getByRole('button', { name: 'Снять с публикации' }).click();
  await expect(page.getByRole('status').first()).toContainText('Проект не опубликован');
  await anonymous.goto(`/p/${projectId}`);
  await expect(anonymous.getByRole('heading', { name: 'Страница не найдена' })).toBeVisible();
});
