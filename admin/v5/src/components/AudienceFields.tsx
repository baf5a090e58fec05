import { Box, Checkbox, Field, Flex, SingleSelect, SingleSelectOption, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { Audience, LockSource } from '../../../shared/api/types.js';
import { isLocked } from '../../../shared/utils/formValues.js';
import {
  audienceChoices,
  REMEMBER_DEVICES,
  type AudienceSection,
  type ChoiceName,
} from '../../../shared/utils/layout.js';
import { lockedHint, type LockedHint } from '../../../shared/utils/lockedHint.js';
import { formatFieldMessage } from '../../../shared/utils/messages.js';
import type { FieldErrors } from '../../../shared/utils/schema.js';

export interface AudienceFieldsProps {
  section: AudienceSection;
  audience: Audience;
  lockedFields: readonly string[];
  /** Where each locked field is set (the settings API's `lockedSources`). */
  lockedSources?: Readonly<Record<string, LockSource>> | undefined;
  errors: FieldErrors;
  readOnly: boolean;
  onChoiceChange(name: ChoiceName, raw: string | number): void;
  onRememberDevicesChange(remember: boolean): void;
}

/** Enforcement, fail mode and Duo username of one audience (staff or clients), laid out from shared/utils/layout. */
export function AudienceFields({
  section,
  audience,
  lockedFields,
  lockedSources,
  errors,
  readOnly,
  onChoiceChange,
  onRememberDevicesChange,
}: AudienceFieldsProps) {
  const { formatMessage } = useIntl();
  const headingId = `duo-audience-${section.name}`;
  const rememberPath = `${section.name}.rememberDevices`;
  const rememberLocked = isLocked(lockedFields, rememberPath);
  const rememberHint: LockedHint = rememberLocked
    ? lockedHint(lockedSources, rememberPath)
    : { message: REMEMBER_DEVICES.hint };

  return (
    <Box role="group" aria-labelledby={headingId} background="neutral100" hasRadius padding={5}>
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Typography variant="delta" tag="h3" id={headingId}>
          {formatMessage(section.title)}
        </Typography>
        {audienceChoices(section.name).map((field) => {
          const path = `${section.name}.${field.name}`;
          const locked = isLocked(lockedFields, path);
          const chosen = field.options.find((option) => option.value === audience[field.name]);
          const hint = locked ? lockedHint(lockedSources, path) : chosen && { message: chosen.hint };
          return (
            <Field.Root
              key={field.name}
              name={path}
              hint={hint?.message ? formatMessage(hint.message, hint.values) : undefined}
              error={formatFieldMessage(formatMessage, errors[path])}
            >
              <Field.Label>{formatMessage(field.label)}</Field.Label>
              <SingleSelect
                name={path}
                value={audience[field.name]}
                disabled={readOnly || locked}
                onChange={(raw: string | number) => onChoiceChange(field.name, raw)}
              >
                {field.options.map((option) => (
                  <SingleSelectOption key={option.value} value={option.value}>
                    {formatMessage(option.label)}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
              <Field.Hint />
              <Field.Error />
            </Field.Root>
          );
        })}
        {audience.rememberDevices !== undefined && (
          <Field.Root
            name={rememberPath}
            hint={formatMessage(rememberHint.message, rememberHint.values)}
            error={formatFieldMessage(formatMessage, errors[rememberPath])}
          >
            <Checkbox
              name={rememberPath}
              checked={audience.rememberDevices}
              onCheckedChange={(checked) => onRememberDevicesChange(checked === true)}
              disabled={readOnly || rememberLocked}
            >
              {formatMessage(REMEMBER_DEVICES.label)}
            </Checkbox>
            <Field.Hint />
            <Field.Error />
          </Field.Root>
        )}
      </Flex>
    </Box>
  );
}
