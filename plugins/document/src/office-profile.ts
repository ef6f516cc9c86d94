import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Settings every listener's profile starts with. Documents come from strangers: nothing in
 * one may run code or reach the network.
 */
const hardening: { path: string; name: string; value: string | number | boolean }[] = [
  // No macro runs, whatever the document asks (3: very high, only trusted locations, and there are none).
  { path: '/org.openoffice.Office.Common/Security/Scripting', name: 'MacroSecurityLevel', value: 3 },
  { path: '/org.openoffice.Office.Common/Security/Scripting', name: 'DisableMacrosExecution', value: true },
  // Linked pictures and objects are not fetched for documents outside trusted locations.
  { path: '/org.openoffice.Office.Common/Security/Scripting', name: 'BlockUntrustedRefererLinks', value: true },
  // Links (to other files, to DDE servers) are never updated: Writer 0 = never, Calc 1 = never.
  { path: '/org.openoffice.Office.Writer/Content/Update', name: 'Link', value: 0 },
  { path: '/org.openoffice.Office.Calc/Content/Update', name: 'Link', value: 1 },
  // No lock files beside the documents, no backups, no autosave in the profile.
  { path: '/org.openoffice.Office.Common/Misc', name: 'UseLocking', value: false },
  { path: '/org.openoffice.Office.Common/Save/Document', name: 'CreateBackup', value: false },
  { path: '/org.openoffice.Office.Common/Save/Document', name: 'AutoSave', value: false },
  { path: '/org.openoffice.Office.Recovery/AutoSave', name: 'Enabled', value: false },
  { path: '/org.openoffice.Office.Java/VirtualMachine', name: 'Enable', value: false },
];

/**
 * The content providers that reach the network (http, https and WebDAV, ftp, CMIS). With them
 * removed no URL in a document can be fetched at all, whatever the import filter does with it:
 * an HTML import still loads <link rel="stylesheet"> from the web with the settings above alone.
 */
const networkContentProviders = ['Provider3', 'Provider4', 'Provider4a', 'Provider12', 'Provider12a', 'Provider12b', 'Provider6', 'Provider43'];
const contentProvidersPath = '/org.openoffice.ucb.Configuration/ContentProviders/Local/SecondaryKeys/Office/ProviderData';

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The registrymodifications.xcu LibreOffice reads the settings above from. */
export function hardeningRegistry(): string {
  const props = hardening.map(
    ({ path, name, value }) =>
      `<item oor:path="${escapeXml(path)}"><prop oor:name="${escapeXml(name)}" oor:op="fuse"><value>${escapeXml(String(value))}</value></prop></item>`,
  );
  const removals = networkContentProviders.map((node) => `<item oor:path="${contentProvidersPath}"><node oor:name="${node}" oor:op="remove"/></item>`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    ...props,
    ...removals,
    '</oor:items>',
    '',
  ].join('\n');
}

/**
 * Creates a listener's profile directory with the hardening in place, before LibreOffice first
 * starts on it (LibreOffice merges the file into the profile it then builds around it).
 */
export async function createProfile(directory: string): Promise<void> {
  await rm(directory, { recursive: true, force: true });
  await mkdir(join(directory, 'user'), { recursive: true });
  await writeFile(join(directory, 'user', 'registrymodifications.xcu'), hardeningRegistry());
}
