import { Alert } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { ApiErrorBody } from '../api/types.ts';
import { getTrad } from '../utils/getTrad.ts';
import { outcomeText } from '../utils/outcomes.ts';

export interface SaveErrorAlertProps {
  /** The server's error; null when no answer came back (network down, server stopped). */
  error: ApiErrorBody | null;
  onClose(): void;
}

/**
 * Why Save Changes (or Deactivate) failed, next to the form; the typed values stay where they are. Shared by both
 * admins: `Alert` takes the same props in design system 1 (Strapi 4) and 2 (Strapi 5), and each build resolves
 * `@strapi/design-system` to its own.
 */
export function SaveErrorAlert({ error, onClose }: SaveErrorAlertProps) {
  const { formatMessage } = useIntl();
  const closeLabel = formatMessage({ id: getTrad('settings.close'), defaultMessage: 'Close' });
  const connection = error?.details?.connection;

  if (connection) {
    const text = outcomeText(connection.outcome);
    return (
      <Alert variant="danger" closeLabel={closeLabel} onClose={onClose} title={formatMessage(text.title)}>
        {formatMessage(
          {
            id: getTrad('settings.save.error.connection'),
            defaultMessage: 'Nothing was saved. Duo said: {message}. {advice}',
          },
          { message: connection.message.replace(/\.$/, ''), advice: formatMessage(text.advice) },
        )}
      </Alert>
    );
  }

  if (error?.name === 'ValidationError') {
    return (
      <Alert
        variant="danger"
        closeLabel={closeLabel}
        onClose={onClose}
        title={formatMessage({
          id: getTrad('settings.save.error.validation.title'),
          defaultMessage: 'Some values were refused. Nothing was saved.',
        })}
      >
        {error.message}
      </Alert>
    );
  }

  return (
    <Alert
      variant="danger"
      closeLabel={closeLabel}
      onClose={onClose}
      title={formatMessage({
        id: getTrad('settings.save.error.title'),
        defaultMessage: 'The settings could not be saved',
      })}
    >
      {error?.message ??
        formatMessage({
          id: getTrad('settings.save.error.network'),
          defaultMessage: 'The server could not be reached. Check your connection and try again.',
        })}
    </Alert>
  );
}
