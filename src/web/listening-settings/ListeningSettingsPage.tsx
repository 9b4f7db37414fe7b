import { Badge, Tabs } from '@mantine/core';
import { useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useCan } from '../app/session.ts';
import { PageHeader } from '../app/ui.tsx';
import { useUnsavedGuard } from '../app/unsaved.ts';
import { BusinessHoursTab } from './BusinessHoursTab.tsx';
import { CategoriesTab } from './CategoriesTab.tsx';
import { EscalationRulesTab } from './EscalationRulesTab.tsx';
import { InboundAddressTab } from './InboundAddressTab.tsx';
import { SlaPoliciesTab } from './SlaPoliciesTab.tsx';
import { TeamsTab } from './TeamsTab.tsx';
import { TemplatesTab } from './TemplatesTab.tsx';

const tabs = [
  { value: 'sla', label: 'SLA policies' },
  { value: 'hours', label: 'Business hours' },
  { value: 'escalation', label: 'Escalation rules' },
  { value: 'teams', label: 'Teams and ladder' },
  { value: 'categories', label: 'Categories' },
  { value: 'templates', label: 'Message templates' },
  { value: 'inbound', label: 'Inbound email' },
] as const;
type TabValue = (typeof tabs)[number]['value'];

export function ListeningSettingsPage() {
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab');
  const active: TabValue = tabs.some((tab) => tab.value === requested) ? (requested as TabValue) : 'sla';
  const [dirtyTabs, setDirtyTabs] = useState<Partial<Record<TabValue, boolean>>>({});
  // One stable callback per tab, so that tabs can report in an effect without looping.
  const reporters = useMemo(() => {
    const entries = tabs.map((tab) => [
      tab.value,
      (dirty: boolean) =>
        setDirtyTabs((current) =>
          current[tab.value] === dirty ? current : { ...current, [tab.value]: dirty },
        ),
    ]);
    return Object.fromEntries(entries) as Record<TabValue, (dirty: boolean) => void>;
  }, []);
  const anyDirty = Object.values(dirtyTabs).some(Boolean);
  useUnsavedGuard(anyDirty, 'The listening settings have unsaved changes');
  const select = useCallback(
    (value: string | null) => value && setParams({ tab: value }, { replace: true }),
    [setParams],
  );
  const visible = tabs.filter((tab) => tab.value !== 'inbound' || can('workspace.manage'));

  return (
    <>
      <PageHeader
        title="Listening settings"
        description="SLA targets, business hours, escalation, teams, categories with their observations, the messages customers get, and where mail comes in."
      />
      <Tabs value={active} onChange={select} keepMounted>
        <Tabs.List mb="md">
          {visible.map((tab) => (
            <Tabs.Tab
              key={tab.value}
              value={tab.value}
              rightSection={
                dirtyTabs[tab.value] ? (
                  <Badge size="xs" color="orange" variant="filled" circle aria-label="unsaved changes">
                    •
                  </Badge>
                ) : null
              }
            >
              {tab.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="sla">
          <SlaPoliciesTab onDirty={reporters.sla} />
        </Tabs.Panel>
        <Tabs.Panel value="hours">
          <BusinessHoursTab onDirty={reporters.hours} />
        </Tabs.Panel>
        <Tabs.Panel value="escalation">
          <EscalationRulesTab onDirty={reporters.escalation} />
        </Tabs.Panel>
        <Tabs.Panel value="teams">
          <TeamsTab />
        </Tabs.Panel>
        <Tabs.Panel value="categories">
          <CategoriesTab />
        </Tabs.Panel>
        <Tabs.Panel value="templates">
          <TemplatesTab onDirty={reporters.templates} />
        </Tabs.Panel>
        {can('workspace.manage') && (
          <Tabs.Panel value="inbound">
            <InboundAddressTab onDirty={reporters.inbound} />
          </Tabs.Panel>
        )}
      </Tabs>
    </>
  );
}
