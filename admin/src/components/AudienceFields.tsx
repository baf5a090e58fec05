import { Box, Checkbox, Flex, SingleSelect, SingleSelectOption, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { Audience, LockSource } from '../../shared/api/types';
import { isLocked } from '../../shared/utils/formValues';
import type { AudienceSection, ChoiceName } from '../../shared/utils/layout';
import { audienceChoices, REMEMBER_DEVICES } from '../../shared/utils/layout';
import { lockedHint, type LockedHint } from '../../shared/utils/lockedHint';
import { formatFieldMessage } from '../../shared/utils/messages';
import type { FieldErrors } from '../../shared/utils/schema';

export interface AudienceFieldsProps {
  section: AudienceSection;
  audience: Audience;
  lockedFields: readonly string[];
  /** Where each locked field is set (the settings API's `lockedSources`); absent: config/plugins.js. */
  lockedSources?: Readonly<Record<string, LockSource>> | undefined;
  errors: FieldErrors;
  readOnly: boolean;
  onChoiceChange(name: ChoiceName, raw: string | number): void;
  onRememberDevicesChange(remember: boolean): void;
}

/** Enforcement, fail mode and Duo username of one audience (staff or clients), laid out from utils/layout. */
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
        <Typography variant="delta" as="h3" id={headingId}>
          {formatMessage(section.title)}
        </Typography>
        {audienceChoices(section.name).map((field) => {
          const path = `${section.name}.${field.name}`;
          const locked = isLocked(lockedFields, path);
          const chosen = field.options.find((option) => option.value === audience[field.name]);
          const hint = locked ? lockedHint(lockedSources, path) : chosen && { message: chosen.hint };
          return (
            <SingleSelect
              key={field.name}
              name={path}
              label={formatMessage(field.label)}
              hint={hint ? formatMessage(hint.message, hint.values) : undefined}
              error={formatFieldMessage(formatMessage, errors[path])}
              value={audience[field.name]}
              disabled={readOnly || locked}
              onChange={(raw) => onChoiceChange(field.name, raw)}
            >
              {field.options.map((option) => (
                <SingleSelectOption key={option.value} value={option.value}>
                  {formatMessage(option.label)}
                </SingleSelectOption>
              ))}
            </SingleSelect>
          );
        })}
        {audience.rememberDevices !== undefined && (
          <Checkbox
            name={rememberPath}
            value={audience.rememberDevices}
            onValueChange={(checked: boolean) => onRememberDevicesChange(checked)}
            disabled={readOnly || rememberLocked}
            hint={formatMessage(rememberHint.message, rememberHint.values)}
            error={formatFieldMessage(formatMessage, errors[rememberPath])}
          >
            {formatMessage(REMEMBER_DEVICES.label)}
          </Checkbox>
        )}
      </Flex>
    </Box>
  );
}
