import type { ColumnType, Generated, Selectable } from 'kysely';
import type { CustomFieldEntity, CustomFieldType } from '../../shared/custom-fields.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface CustomFieldDefinitionsTable {
  id: string;
  workspace_id: string;
  entity: CustomFieldEntity;
  key: string;
  label: string;
  type: CustomFieldType;
  /** jsonb array of strings: written as a JSON string. */
  options: ColumnType<string[], string | undefined, string>;
  position: number;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CustomFieldTables {
  custom_field_definitions: CustomFieldDefinitionsTable;
}

export type CustomFieldRow = Selectable<CustomFieldDefinitionsTable>;
