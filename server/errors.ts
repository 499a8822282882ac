// Errors are values with a code, an HTTP status and a Chinese message; one middleware renders them.
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    /** Field errors for forms: field name → Chinese message. */
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const errors = {
  notFound: (what = '页面') => new AppError('not_found', 404, `找不到该${what}。`),
  /** Not found, said in a whole sentence of its own (when “找不到该…” would not read well). */
  missing: (message: string) => new AppError('not_found', 404, message),
  unauthenticated: () => new AppError('auth.required', 401, '请先登录。'),
  forbidden: (why = '您的角色无权执行此操作。') => new AppError('auth.forbidden', 403, why),
  csrf: () => new AppError('csrf.invalid', 403, '表单已过期或来源不明，请刷新页面后重新提交。'),
  invalid: (message: string, fields: Record<string, string> = {}) => new AppError('input.invalid', 400, message, fields),
  conflict: (message: string) => new AppError('conflict', 409, message),
  /** Not ready yet (the server is still preparing something); try again shortly. */
  unavailable: (message: string) => new AppError('unavailable', 503, message),
  /** Too many attempts: refused until later (login throttling). */
  tooManyAttempts: (message: string) => new AppError('auth.throttled', 429, message),
  badLogin: () => new AppError('auth.bad_login', 401, '用户名或密码错误。'),
};
