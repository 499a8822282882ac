// Receiving one uploaded file (multipart/form-data) into a private temp file, with a size cap.
// The CSRF token must arrive as a field before the file part (forms put the hidden field first);
// a file part without a valid token is discarded unread.
import busboy from 'busboy';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Request } from 'express';
import { AppError, errors } from '../errors.js';
import { csrfTokenValid, isUploadRoute } from './security.js';

export interface ReceivedUpload {
  fields: Record<string, string>;
  file: { path: string; originalName: string; size: number; dir: string } | null;
}

export const removeUpload = (upload: ReceivedUpload) => {
  if (upload.file) rmSync(upload.file.dir, { recursive: true, force: true });
};

/** `maxFieldBytes`: longest text field (default 10,000 bytes; a pasted list needs more). */
export function receiveUpload(req: Request, maxBytes: number, options: { maxFieldBytes?: number } = {}): Promise<ReceivedUpload> {
  // Only the upload routes let a multipart body past the CSRF check unread: anywhere else its token
  // would go unchecked. A new upload route must be listed in UPLOAD_ROUTES (server/http/security.ts).
  if (!isUploadRoute(req)) throw new Error(`receiveUpload on ${req.method} ${req.path}, which is not in UPLOAD_ROUTES`);
  return new Promise((resolve, reject) => {
    if (!(req.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
      reject(errors.invalid('请选择要上传的文件。'));
      return;
    }
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes, fields: 20, fieldSize: options.maxFieldBytes ?? 10_000, parts: 30 } });
    } catch {
      reject(errors.invalid('上传内容无法读取。'));
      return;
    }
    const fields: Record<string, string> = {};
    let file: ReceivedUpload['file'] = null;
    let failure: AppError | null = null;
    let writing: Promise<void> = Promise.resolve();
    bb.on('field', (name, value, info) => {
      if (info.valueTruncated) failure ??= errors.invalid("填写的内容过长，请分批提交或改为上传文件。");
      fields[name] = value;
    });
    bb.on('file', (_name, stream, info) => {
      if (failure || file || !csrfTokenValid(req, fields)) {
        failure ??= errors.csrf();
        stream.resume();
        return;
      }
      const dir = mkdtempSync(join(tmpdir(), 'catalogue-upload-'));
      const path = join(dir, 'upload.bin');
      // Latin-1 names from old browsers are mis-decoded by busboy; names are shown, never used as paths.
      const originalName = (info.filename || 'upload').replace(/[\\/\0]/g, '_').slice(0, 200);
      const target = { path, originalName, size: 0, dir };
      file = target;
      const out = createWriteStream(path);
      stream.on('data', (chunk: Buffer) => (target.size += chunk.length));
      stream.on('limit', () => {
        failure = errors.invalid(`文件超过上限 ${Math.round(maxBytes / 1048576)} MB，请拆分后上传。`);
      });
      writing = new Promise((done, fail) => {
        out.on('finish', () => done());
        out.on('error', fail);
      });
      stream.pipe(out);
    });
    bb.on('error', () => {
      failure ??= errors.invalid('上传中断或内容损坏，请重新上传。');
    });
    bb.on('close', () => {
      writing
        .then(() => {
          if (!failure && !csrfTokenValid(req, fields)) failure = errors.csrf();
          if (failure) {
            if (file) rmSync(file.dir, { recursive: true, force: true });
            reject(failure);
          } else resolve({ fields, file });
        })
        .catch(() => reject(errors.invalid('保存上传文件失败，请重试。')));
    });
    req.pipe(bb);
  });
}
