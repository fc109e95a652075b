'use client';
/** Downloads a run's whole log as `<run>.log`, whatever the view is filtered to. */
import { useState } from 'react';
import { api } from '@/trpc/react';
import { gatherLog, logFileText } from './logFile';

export function useLogDownload(experimentId: string) {
  const utils = api.useUtils();
  const [downloading, setDownloading] = useState(false);
  const download = async () => {
    setDownloading(true);
    try {
      const entries = await gatherLog((before) =>
        utils.log.list.fetch({ experimentId, limit: 10_000, ...(before ? { beforeSeq: before } : {}) }),
      );
      saveText(`${experimentId}.log`, logFileText(entries));
    } finally {
      setDownloading(false);
    }
  };
  return { downloading, download };
}

function saveText(fileName: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  // The browser reads the blob after the click returns; give it time before letting go.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
