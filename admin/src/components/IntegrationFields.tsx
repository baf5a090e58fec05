import type { ChangeEvent } from 'react';

import { Box, Textarea, TextInput } from '@strapi/design-system';

import { useIntegrationFields, type IntegrationFieldsProps } from '../../shared/hooks/useIntegrationFields';
import { FieldRow } from './FieldRow';
import { SelectField } from './SelectField';

/** The integration type, its Duo application's values and the client return URLs (Strapi 4 design system). */
export function IntegrationFields(props: IntegrationFieldsProps) {
  const { type, keys, returnUrls } = useIntegrationFields(props);
  return (
    <>
      {/* Half the row, like the fields below, with room beside it. */}
      <FieldRow>
        <SelectField select={type} />
        <Box />
      </FieldRow>
      <FieldRow>
        {keys.map((field) => (
          <TextInput
            key={field.name}
            name={field.name}
            type={field.secret ? 'password' : 'text'}
            autoComplete={field.secret ? 'new-password' : 'off'}
            spellCheck={false}
            label={field.label}
            hint={field.hint}
            placeholder={field.placeholder}
            error={field.error}
            value={field.value}
            onChange={(event: ChangeEvent<HTMLInputElement>) => field.onChange(event.target.value)}
            disabled={field.disabled}
          />
        ))}
      </FieldRow>
      {returnUrls ? (
        <Textarea
          name={returnUrls.name}
          label={returnUrls.label}
          hint={returnUrls.hint}
          error={returnUrls.error}
          value={returnUrls.value}
          spellCheck={false}
          disabled={returnUrls.disabled}
          onChange={(event: ChangeEvent<HTMLTextAreaElement>) => returnUrls.onChange(event.target.value)}
        />
      ) : null}
    </>
  );
}
