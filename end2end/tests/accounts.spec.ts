// Signing in and out, with JavaScript on and off: the forms are plain HTML forms.
import { test, expect } from '@playwright/test';

const password = process.env.E2E_ADMIN_PASSWORD ?? '';

test('an administrator signs in, sees the account page and signs out', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto('/');
  await page.getByRole('link', { name: 'Войти' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Войти');

  // A wrong password shows a clear message and keeps the visitor on the form.
  await page.getByLabel('Имя пользователя').fill('admin');
  await page.getByLabel('Пароль').fill('не тот пароль');
  await page.getByRole('button', { name: 'Войти' }).last().click();
  await expect(page.getByRole('alert')).toHaveText('Неверное имя пользователя или пароль.');

  await page.getByLabel('Имя пользователя').fill('admin');
  await page.getByLabel('Пароль').fill(password);
  await page.getByRole('button', { name: 'Войти' }).last().click();
  await expect(page.locator('.account-menu')).toContainText('Анна Админова');

  await page.getByRole('link', { name: 'Анна Админова' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Мой профиль');
  await expect(page.getByText('Администратор')).toBeVisible();

  await page.getByRole('button', { name: 'Выйти' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('link', { name: 'Войти' })).toBeVisible();
  expect(errors).toEqual([]);
});
