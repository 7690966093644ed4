import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG_DIR } from '../../../config/load.ts';

/** A private copy of the default hall, to break one file at a time. */
export function copyDefaultHall(): string {
  const dir = mkdtempSync(join(tmpdir(), 'xiaojin-config-'));
  cpSync(DEFAULT_CONFIG_DIR, dir, { recursive: true });
  return dir;
}

// The tests break files on purpose, in shapes no schema type describes.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function editJson(dir: string, file: string, edit: (value: any) => void): void {
  const path = join(dir, file);
  const value = JSON.parse(readFileSync(path, 'utf8'));
  edit(value);
  writeFileSync(path, JSON.stringify(value, null, 1));
}

/** One portal record with the fields the importer reads; the rest of a real record is noise to it. */
export function seedRecord(over: Record<string, unknown>): Record<string, unknown> {
  return {
    TASK_CODE: 'T0',
    TASK_NAME: '示例事项',
    DEPT_NAME: '广州市示例局',
    ORGCODE: 'ORG1',
    CATAID: 'CAT0',
    subTaskName: null,
    matter_name: '示例事项',
    TASK_TYPE_TEXT: '行政许可',
    matter_level: '市级',
    visit_number: '1',
    handle_time: '20(工作日)',
    handle_time_limit: '5(工作日)',
    accept_standard: '符合条件',
    material_intro: '身份证；申请表',
    online_book: '否',
    courier_service: '否',
    consult_phone: '020-12345678',
    theme_category: '其他',
    service_object_name: '自然人',
    handle_location: '办理地点：广州市天河区示例路1号',
    URL: 'https://example.gov.cn/item',
    ...over,
  };
}

