#pragma once
// Models page: the Session's TorchScript models, a card per model (file, hash, parameters, methods,
// device) from the ExtractionController's inspection, and its queue of extraction jobs with per-job
// progress and cancel. Extracted features join the Session as models for every other page.

#include <QWidget>

class ExtractionController;
class QLabel;
class QListWidget;
class QPushButton;
class QTableWidget;
class Session;

class ModelsPage : public QWidget
{
    Q_OBJECT
public:
    ModelsPage(Session* session, ExtractionController* extraction, QWidget* parent = nullptr);

    QString selectedModel() const;
    void selectModel(const QString& path);
    QString cardText() const;
    QTableWidget* jobTable() const { return m_jobs; }

Q_SIGNALS:
    void openRequested(const QStringList& paths); // "Add model…"

private:
    void refreshModels();
    void showCard();
    void openSettings();
    void addJobRow(int job);
    void showJob(int job);

    Session* m_session;
    ExtractionController* m_extraction;
    QListWidget* m_models;
    QLabel* m_card;
    QPushButton* m_extract;
    QTableWidget* m_jobs;
};
