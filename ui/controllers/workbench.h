#pragma once
// Everything behind the window, without a widget: the TaskRunner (the one owner of worker threads), the
// Session and the controllers that compute from it. The window, the demo, project files and tests use it;
// pages get only the parts they show.

#include "session/project_data.h"

#include <QObject>
#include <QStringList>

class ExtractionController;
class LoadController;
class ObjectAlignmentController;
class OddOneOutController;
class ProbeController;
class PopulationController;
class RsaController;
class Session;
class TaskRunner;

class Workbench : public QObject
{
    Q_OBJECT
public:
    explicit Workbench(QObject* parent = nullptr);
    ~Workbench() override;

    TaskRunner* tasks() const { return m_tasks; }
    Session* session() const { return m_session; }
    LoadController* loader() const { return m_loader; }
    OddOneOutController* oddOneOut() const { return m_oddOneOut; }
    RsaController* rsa() const { return m_rsa; }
    ExtractionController* extraction() const { return m_extraction; }
    ProbeController* probe() const { return m_probe; }
    PopulationController* population() const { return m_population; }
    ObjectAlignmentController* objectAlignment() const { return m_objectAlignment; }

    // A new, empty workspace: running work is cancelled, the Session and every result cleared.
    void startNewWorkspace();
    void open(const QStringList& paths);
    // Opens a THINGS folder, with VICE (vice/final_embedding.npy) as the concept space when present.
    void openThingsFolder(const QString& folder);

    // No job is running and no recomputation is scheduled: every result reflects the current inputs.
    bool isSettled() const;

    // Grows with every change a project saves (files opened, settings, row mappings, the concept space, the
    // probe, the Compare page's files and model table), not with results recomputed from them: projects
    // compare it with the count they saved to say whether there is unsaved work.
    quint64 changeCount() const { return m_changes; }

    // The state worth saving, and restoring it into an empty workbench (inputs reopen in the background;
    // stale extracted features are extracted again). Notes say what changed since the save.
    ProjectData toProject() const;
    void applyProject(const ProjectData& project, QStringList* notes);

Q_SIGNALS:
    void settled();          // isSettled() became true
    void changed();          // changeCount() grew
    void workspaceCleared(); // startNewWorkspace() emptied everything
    // Results restored from a project did not verify against its inputs and were recomputed (the reason names
    // the file); also said in the Session's log.
    void savedResultsRecomputed(const QString& reason);

private:
    void checkSettled();
    void noteChange();
    QStringList populationInputs() const;

    TaskRunner* m_tasks;
    Session* m_session;
    LoadController* m_loader;
    OddOneOutController* m_oddOneOut;
    RsaController* m_rsa;
    ExtractionController* m_extraction;
    ProbeController* m_probe;
    PopulationController* m_population;
    ObjectAlignmentController* m_objectAlignment;
    quint64 m_changes = 0;
    QStringList m_populationInputs; // the Compare page's files and model table, as last counted
};
