import { useIntl } from 'react-intl';

import type { AudienceName, LockSource, RolesResponse } from '../api/types.ts';
import { isLocked } from '../utils/formValues.ts';
import { AUDIENCES, audienceChoices, REMEMBER_DEVICES } from '../utils/layout.ts';
import { lockedHint, type LockedHint } from '../utils/lockedHint.ts';
import { formatFieldMessage } from '../utils/messages.ts';
import type { CheckView, SelectView } from '../utils/views.ts';
import type { RoleFieldsProps } from './useRoleFields.ts';
import type { SettingsFormState } from './useSettingsForm.ts';

export interface AudienceGridProps {
  form: SettingsFormState;
  lockedFields: readonly string[];
  /** Where each locked field is set (the settings API's `lockedSources`); absent: config/plugins.js. */
  lockedSources?: Readonly<Record<string, LockSource>> | undefined;
  readOnly: boolean;
  /** The roles of each audience, once loaded (each admin loads them its own way). */
  roleOptions: RolesResponse | undefined;
  roleOptionsFailed: boolean;
}

/** One audience's column: its choices, its remembered-devices switch and its roles, each when the server has it. */
export interface AudienceView {
  name: AudienceName;
  headingId: string;
  title: string;
  choices: readonly SelectView[];
  remember: CheckView | undefined;
  roles: RoleFieldsProps | undefined;
}

export interface AudienceGridView {
  /** Enable for Staff, Enable for Clients. */
  enables: readonly CheckView[];
  audiences: readonly AudienceView[];
}

/**
 * The audiences part of the settings form (whether Duo is on for each, and each one's enforcement, fail mode, Duo
 * username, remembered devices and enforcement per role), worked out once for both admins: labels, hints (where a
 * locked value is set), errors, disabled states and the changes they make to the form.
 */
export function useAudienceGrid({
  form,
  lockedFields,
  lockedSources,
  readOnly,
  roleOptions,
  roleOptionsFailed,
}: AudienceGridProps): AudienceGridView {
  const { formatMessage } = useIntl();
  const { values, errors } = form;
  const text = (hint: LockedHint) => formatMessage(hint.message, hint.values);
  const error = (path: string) => formatFieldMessage(formatMessage, errors[path]);
  // Where a locked value is set, else what the field says unlocked.
  const hintFor = <U extends LockedHint | undefined>(path: string, unlocked: U): LockedHint | U =>
    isLocked(lockedFields, path) ? lockedHint(lockedSources, path) : unlocked;

  return {
    enables: AUDIENCES.map((section) => {
      const name = `${section.name}.enabled`;
      return {
        name,
        label: formatMessage(section.enableLabel),
        hint: text(hintFor(name, { message: section.enableHint })),
        error: error(name),
        checked: values[section.name].enabled,
        disabled: readOnly || isLocked(lockedFields, name),
        onChange: (checked) => form.setEnabled(section.name, checked),
      };
    }),
    audiences: AUDIENCES.map((section) => {
      const audience = values[section.name];
      const rememberName = `${section.name}.rememberDevices`;
      const rolesName = `${section.name}.roles`;
      return {
        name: section.name,
        headingId: `duo-audience-${section.name}`,
        title: formatMessage(section.title),
        choices: audienceChoices(section.name).map((field): SelectView => {
          const name = `${section.name}.${field.name}`;
          const chosen = field.options.find((option) => option.value === audience[field.name]);
          const hint = hintFor(name, chosen && { message: chosen.hint });
          return {
            name,
            label: formatMessage(field.label),
            hint: hint ? text(hint) : undefined,
            error: error(name),
            value: audience[field.name],
            disabled: readOnly || isLocked(lockedFields, name),
            options: field.options.map((option) => ({ value: option.value, label: formatMessage(option.label) })),
            onChange: (raw) => form.setChoice(section.name, field.name, raw),
          };
        }),
        remember:
          audience.rememberDevices === undefined
            ? undefined
            : {
                name: rememberName,
                label: formatMessage(REMEMBER_DEVICES.label),
                hint: text(hintFor(rememberName, { message: REMEMBER_DEVICES.hint })),
                error: error(rememberName),
                checked: audience.rememberDevices,
                disabled: readOnly || isLocked(lockedFields, rememberName),
                onChange: (checked) => form.setRememberDevices(section.name, checked),
              },
        roles:
          audience.roles === undefined
            ? undefined
            : {
                audience: section.name,
                options: roleOptions?.[section.name],
                loadFailed: roleOptionsFailed,
                roles: audience.roles,
                disabled: readOnly || isLocked(lockedFields, rolesName),
                error: error(rolesName),
                onChange: (roles) => form.setRoles(section.name, roles),
              },
      };
    }),
  };
}
