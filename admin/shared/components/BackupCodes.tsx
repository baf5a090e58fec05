import { useEffect, useMemo, useState } from 'react';
import { useIntl } from 'react-intl';

import { getTrad } from '../utils/getTrad.ts';

const MESSAGES = {
  title: { id: getTrad('account.backupCodes.title'), defaultMessage: 'Your backup codes' },
  intro: {
    id: getTrad('account.backupCodes.intro'),
    defaultMessage:
      'Each code signs you in once when your phone is lost or Duo cannot be reached. Save them now: they are not shown again.',
  },
  copy: { id: getTrad('account.backupCodes.copy'), defaultMessage: 'Copy' },
  copied: { id: getTrad('account.backupCodes.copied'), defaultMessage: 'Copied' },
  download: { id: getTrad('account.backupCodes.download'), defaultMessage: 'Download as text' },
};

/**
 * A set of backup codes, shown this once (the server keeps only their hashes): copy them, or download them as a
 * text file. Plain elements, so both admin hosts (Strapi 4's and 5's design systems) show it alike.
 */
export function BackupCodes({ codes }: { readonly codes: readonly string[] }) {
  const { formatMessage } = useIntl();
  const [copied, setCopied] = useState(false);
  const text = useMemo(() => `${codes.join('\n')}\n`, [codes]);
  const href = useMemo(() => URL.createObjectURL(new Blob([text], { type: 'text/plain' })), [text]);
  useEffect(() => () => URL.revokeObjectURL(href), [href]);
  const copy = async () => {
    await navigator.clipboard.writeText(text);
    setCopied(true);
  };
  return (
    <section aria-labelledby="duo-backup-codes-title" style={{ marginTop: 16 }}>
      <h3 id="duo-backup-codes-title" style={{ fontWeight: 600, marginBottom: 8 }}>
        {formatMessage(MESSAGES.title)}
      </h3>
      <p style={{ marginBottom: 8 }}>{formatMessage(MESSAGES.intro)}</p>
      <ol aria-label={formatMessage(MESSAGES.title)} style={{ fontFamily: 'monospace', columns: 2, marginBottom: 8 }}>
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ol>
      <button
        type="button"
        onClick={() => void copy()}
        style={{
          marginRight: 12,
          padding: '6px 12px',
          border: '1px solid #dcdce4',
          borderRadius: 4,
          background: '#fff',
        }}
      >
        {formatMessage(copied ? MESSAGES.copied : MESSAGES.copy)}
      </button>
      <a href={href} download="duo-backup-codes.txt">
        {formatMessage(MESSAGES.download)}
      </a>
    </section>
  );
}
