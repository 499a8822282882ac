// Every URL the app links to is built here, so links stay stable and JSON twins sit beside pages.
const qs = (params: Record<string, string | number | undefined | null>) => {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}` : '';
};
const enc = encodeURIComponent;

export type Query = Record<string, string | number | undefined | null>;

export const urls = {
  home: () => '/',
  items: (q: Query = {}) => `/items${qs(q)}`,
  item: (code: string) => `/items/${enc(code)}`,
  departments: () => '/departments',
  instruments: (q: Query = {}) => `/instruments${qs(q)}`,
  instrument: (id: number) => `/instruments/${id}`,
  createInstrument: () => '/registry/instruments',
  registerInstrument: (q: Query = {}) => `/registry/instruments/new${qs(q)}`,
  login: (next?: string) => `/login${qs({ next })}`,
  logout: () => '/logout',
  workspace: () => '/workspace',
  editItem: (code: string) => `/workspace/items/${enc(code)}/edit`,
  saveItem: (code: string) => `/workspace/items/${enc(code)}`,
  adminDepartments: () => '/admin/departments',
  adminUsers: () => '/admin/users',
  audit: (q: Query = {}) => `/audit${qs(q)}`,
  imports: () => '/workspace/imports',
  importPage: (id: number) => `/workspace/imports/${id}`,
  importConfirm: (id: number) => `/workspace/imports/${id}/confirm`,
  importDiscard: (id: number) => `/workspace/imports/${id}/discard`,
  template: (q: Query = {}) => `/workspace/template.xlsx${qs(q)}`,
  flags: (q: Query = {}) => `/workspace/flags${qs(q)}`,
  flagsXlsx: (q: Query = {}) => `/workspace/flags.xlsx${qs(q)}`,
  flagsRecheck: () => '/workspace/flags/recheck',
  referenceLists: () => '/registry/lists',
  referenceList: (id: number, q: Query = {}) => `/registry/lists/${id}${qs(q)}`,
  referenceListDecisions: (id: number) => `/registry/lists/${id}/decisions`,
  referenceListConfirmNear: (id: number) => `/registry/lists/${id}/confirm-near`,
  referenceListRematch: (id: number) => `/registry/lists/${id}/rematch`,
  referenceListDelete: (id: number) => `/registry/lists/${id}/delete`,
  api: {
    items: (q: Query = {}) => `/api/v1/items${qs(q)}`,
    item: (code: string) => `/api/v1/items/${enc(code)}`,
    departments: () => '/api/v1/departments',
    instruments: (q: Query = {}) => `/api/v1/instruments${qs(q)}`,
    instrument: (id: number) => `/api/v1/instruments/${id}`,
    unregisteredInstruments: () => '/api/v1/registry/unregistered',
    import: (id: number) => `/api/v1/imports/${id}`,
    flags: (q: Query = {}) => `/api/v1/flags${qs(q)}`,
    referenceLists: () => '/api/v1/reference-lists',
    referenceList: (id: number, q: Query = {}) => `/api/v1/reference-lists/${id}${qs(q)}`,
  },
  static: (file: string) => `/static/${file}`,
};
